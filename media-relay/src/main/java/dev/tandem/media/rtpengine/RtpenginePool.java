package dev.tandem.media.rtpengine;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rtpengines a bridge sends calls to, and which of them answer. A new call goes to a live
 * instance picked by weight; every later command of the call goes to that same instance ({@link
 * RtpengineBackend} remembers it). An instance is dead after an NG {@code ping} or a call's command
 * gets no answer (a timeout, or a socket error); it gets no new calls until it answers a ping
 * again. Each change of an instance's state is logged once, when it happens.
 *
 * <p>Before its first ping an instance is {@link State#UNKNOWN}: it takes new calls only while no
 * instance is known to be live. {@link #onLiveness} hears whether at least one instance is live
 * (the bridge's readiness).
 *
 * <p>Thread-safe: states change on NG threads and the ping timer, and are read by calls.
 */
public final class RtpenginePool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RtpenginePool.class);

  /** What the pool knows of an instance. */
  public enum State {
    UNKNOWN,
    LIVE,
    DEAD
  }

  /** One rtpengine: its NG client, weight and state. */
  public static final class Instance {
    private final String name;
    private final int weight;
    private final NgClient ng;
    private volatile State state;
    private final AtomicBoolean pinging = new AtomicBoolean();

    Instance(String name, int weight, NgClient ng, State state) {
      this.name = name;
      this.weight = weight;
      this.ng = ng;
      this.state = state;
    }

    public String name() {
      return name;
    }

    public State state() {
      return state;
    }

    NgClient ng() {
      return ng;
    }

    @Override
    public String toString() {
      return "rtpengine " + name;
    }
  }

  private final List<Instance> instances;
  private final Duration pingInterval;
  private final IntUnaryOperator random;
  private final ScheduledExecutorService timer;
  private volatile Consumer<Boolean> liveness = live -> {};
  private volatile boolean anyLive;

  RtpenginePool(
      List<Instance> instances,
      Duration pingInterval,
      IntUnaryOperator random,
      ScheduledExecutorService timer) {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("a pool needs at least one rtpengine");
    }
    this.instances = List.copyOf(instances);
    this.pingInterval = pingInterval;
    this.random = random;
    this.timer = timer;
    this.anyLive = this.instances.stream().anyMatch(i -> i.state == State.LIVE);
  }

  /**
   * A pool of the given rtpengines, each with its own NG client; none is pinged until {@link
   * #start}.
   *
   * @param pingInterval how often each instance is pinged (also how long a ping may take)
   */
  public static RtpenginePool open(
      List<NgEndpoint> endpoints, Duration retransmit, Duration timeout, Duration pingInterval)
      throws SocketException {
    List<Instance> instances = new ArrayList<>();
    try {
      for (NgEndpoint e : endpoints) {
        NgClient ng = new NgClient(new InetSocketAddress(e.host(), e.port()), retransmit, timeout);
        instances.add(new Instance(e.name(), e.weight(), ng, State.UNKNOWN));
      }
    } catch (SocketException | RuntimeException e) {
      instances.forEach(i -> i.ng.close());
      throw e;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rtpengine-ping");
              t.setDaemon(true);
              return t;
            });
    return new RtpenginePool(
        instances, pingInterval, bound -> ThreadLocalRandom.current().nextInt(bound), timer);
  }

  /** One rtpengine that is taken to be live and never pinged (tools and tests). */
  public static RtpenginePool single(NgClient ng, String name) {
    return new RtpenginePool(
        List.of(new Instance(name, 1, ng, State.LIVE)), Duration.ZERO, bound -> 0, null);
  }

  /** Tells {@code listener} now and on every change whether at least one instance is live. */
  public void onLiveness(Consumer<Boolean> listener) {
    this.liveness = listener;
    listener.accept(anyLive);
  }

  /** Pings every instance now and then every ping interval. */
  public void start() {
    if (timer == null) {
      return;
    }
    long every = pingInterval.toNanos();
    timer.scheduleWithFixedDelay(this::pingAll, 0, every, TimeUnit.NANOSECONDS);
  }

  /** One ping to each instance whose last ping has been answered (the timer calls it). */
  void pingAll() {
    for (Instance instance : instances) {
      if (!instance.pinging.compareAndSet(false, true)) {
        continue; // the last ping is still out
      }
      instance
          .ng
          .request(Map.of("command", "ping"), pingInterval)
          .whenComplete(
              (pong, error) -> {
                instance.pinging.set(false);
                if (error == null) {
                  answered(instance);
                } else {
                  failed(instance, "ping: " + NgException.reason(error));
                }
              });
    }
  }

  /**
   * A live instance picked by weight, or an unknown one while none is known to be live; never one
   * of {@code tried}. Empty when there is none.
   */
  public Optional<Instance> pick(Set<Instance> tried) {
    Optional<Instance> live = pick(State.LIVE, tried);
    return live.isPresent() ? live : pick(State.UNKNOWN, tried);
  }

  private Optional<Instance> pick(State state, Set<Instance> tried) {
    int total = 0;
    for (Instance i : instances) {
      if (i.state == state && !tried.contains(i)) {
        total += i.weight;
      }
    }
    if (total == 0) {
      return Optional.empty();
    }
    int at = random.applyAsInt(total);
    for (Instance i : instances) {
      if (i.state == state && !tried.contains(i)) {
        at -= i.weight;
        if (at < 0) {
          return Optional.of(i);
        }
      }
    }
    throw new IllegalStateException("weights changed while picking");
  }

  /** An instance answered (a ping, or any command): live. */
  void answered(Instance instance) {
    State before;
    synchronized (instance) {
      before = instance.state;
      if (before == State.LIVE) {
        return;
      }
      instance.state = State.LIVE;
    }
    if (before == State.DEAD) {
      log.info("rtpengine {} answers again: it takes new calls", instance.name);
    } else {
      log.info("rtpengine {} answers", instance.name);
    }
    livenessChanged();
  }

  /** An instance did not answer (a ping, or a command timed out): dead, no new calls. */
  void failed(Instance instance, String reason) {
    synchronized (instance) {
      if (instance.state == State.DEAD) {
        return;
      }
      instance.state = State.DEAD;
    }
    log.warn(
        "rtpengine {} is not answering ({}): no new calls go to it, its calls end",
        instance.name,
        reason);
    livenessChanged();
  }

  private synchronized void livenessChanged() {
    boolean now = instances.stream().anyMatch(i -> i.state == State.LIVE);
    if (now != anyLive) {
      anyLive = now;
      if (!now) {
        log.warn("no rtpengine of {} is answering: new calls fail", names());
      }
      liveness.accept(now);
    }
  }

  /** True while at least one instance is live. */
  public boolean anyLive() {
    return anyLive;
  }

  public List<Instance> instances() {
    return instances;
  }

  /** Tells {@code observer} how every instance's NG commands end (metrics); before use. */
  public void observe(NgObserver observer) {
    instances.forEach(i -> i.ng().observe(observer));
  }

  /** The instances' names, {@code a:2223, b:2223}. */
  public String names() {
    return String.join(", ", instances.stream().map(i -> i.name).toList());
  }

  /** Stops pinging and closes every NG client. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    instances.forEach(i -> i.ng.close());
  }
}

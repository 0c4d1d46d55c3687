package dev.tandem.sip.wire;

import dev.tandem.sip.TcpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Caps and timeouts for the connections a stack's TCP listen points accept (JAIN-SIP has neither a
 * per-source cap nor a timeout for a message that never ends; its {@code MAX_CONNECTIONS} only
 * applies to its thread-per-connection processors).
 *
 * <ul>
 *   <li>at most {@code max-connections} accepted connections at once, and {@code
 *       max-connections-per-source} from one IP address: one more is closed as soon as it is
 *       accepted;
 *   <li>a connection that receives nothing for {@code idle-timeout} is closed;
 *   <li>a connection with a message begun {@code message-timeout} ago and still not complete is
 *       closed.
 * </ul>
 *
 * One daemon thread ({@code sip-connection-guard}) checks the timeouts a few times per timeout.
 * Thread-safe; {@link #start} and {@link #stop} are called by the stack's owner.
 */
public final class ConnectionGuard {
  private final TcpSettings limits;
  private final WireLog wire;
  private final LongSupplier millis;
  private final Map<InetAddress, Integer> perSource = new HashMap<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private int total;
  private ScheduledExecutorService sweeper;

  public ConnectionGuard(TcpSettings limits, WireLog wire) {
    this(limits, wire, System::currentTimeMillis);
  }

  ConnectionGuard(TcpSettings limits, WireLog wire, LongSupplier millis) {
    this.limits = limits;
    this.wire = wire;
    this.millis = millis;
  }

  /** A connection refused because a cap is reached; JAIN-SIP's log of it is left out. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /** Starts checking the timeouts. */
  public synchronized void start() {
    if (sweeper != null) {
      return;
    }
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sip-connection-guard");
              thread.setDaemon(true);
              return thread;
            });
    long period = sweepPeriod().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** Stops checking; the connections themselves are closed with their listen points. */
  public synchronized void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
  }

  /** Accepted connections open now. */
  public synchronized int openConnections() {
    return total;
  }

  /** A quarter of the shorter timeout, between 50 ms and 1 s. */
  Duration sweepPeriod() {
    long shorter = Math.min(limits.idleTimeout().toMillis(), limits.messageTimeout().toMillis());
    return Duration.ofMillis(Math.max(50, Math.min(1000, shorter / 4)));
  }

  /**
   * Counts a connection just accepted from {@code source}.
   *
   * @throws Refused when a cap is reached (logged here, rate-limited)
   */
  Connection admit(InetAddress source, int port, String transport) throws Refused {
    synchronized (this) {
      int fromSource = perSource.getOrDefault(source, 0);
      String refusal =
          total >= limits.maxConnections()
              ? "already " + total + " connections (sip.tcp.max-connections)"
              : fromSource >= limits.maxConnectionsPerSource()
                  ? "already "
                      + fromSource
                      + " from this address (sip.tcp.max-connections-per-source)"
                  : null;
      if (refusal == null) {
        total++;
        perSource.put(source, fromSource + 1);
        Connection connection = new Connection(source, port, transport);
        open.add(connection);
        return connection;
      }
      wire.warn(
          "SIP connection from "
              + source.getHostAddress()
              + ":"
              + port
              + "/"
              + transport
              + " refused: "
              + refusal);
      throw new Refused(refusal);
    }
  }

  private synchronized void release(Connection connection) {
    if (!open.remove(connection)) {
      return;
    }
    total--;
    perSource.computeIfPresent(connection.source, (s, n) -> n <= 1 ? null : n - 1);
  }

  void sweep() {
    long now = millis.getAsLong();
    for (Connection c : open) {
      long quiet = now - c.lastReceived;
      long since = c.messageSince;
      if (since != 0 && now - since > limits.messageTimeout().toMillis()) {
        wire.warn(
            "SIP connection from "
                + c.peer()
                + " closed: message incomplete after "
                + (now - since)
                + " ms (sip.tcp.message-timeout)");
        c.close();
      } else if (quiet > limits.idleTimeout().toMillis()) {
        wire.info(
            "SIP connection from "
                + c.peer()
                + " closed: idle for "
                + quiet
                + " ms (sip.tcp.idle-timeout)");
        c.close();
      }
    }
  }

  /**
   * One accepted connection as the guard sees it. Its channel reports what arrives and when it
   * closes; the guard closes it through {@link #attach}'s closer.
   */
  final class Connection {
    private final InetAddress source;
    private final int port;
    private final String transport;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable closer = () -> {};
    private volatile long lastReceived = millis.getAsLong();
    private volatile long messageSince;

    private Connection(InetAddress source, int port, String transport) {
      this.source = source;
      this.port = port;
      this.transport = transport;
    }

    String peer() {
      return source.getHostAddress() + ":" + port + "/" + transport;
    }

    void attach(Runnable closer) {
      this.closer = closer;
    }

    /**
     * Bytes of a SIP message arrived. Line breaks alone are keepalives (RFC 5626 §4.4.1) and start
     * no message.
     */
    void received(byte[] bytes) {
      lastReceived = millis.getAsLong();
      if (messageSince == 0 && !onlyLineBreaks(bytes)) {
        messageSince = lastReceived;
      }
    }

    /** A whole message was read (whether or not it parsed). */
    void messageEnded() {
      messageSince = 0;
    }

    /** Closes the channel; {@link #closed} follows from it. */
    void close() {
      closer.run();
      closed();
    }

    /** The channel closed: the connection no longer counts. Idempotent. */
    void closed() {
      if (closed.compareAndSet(false, true)) {
        release(this);
      }
    }
  }

  private static boolean onlyLineBreaks(byte[] bytes) {
    for (byte b : bytes) {
      if (b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}

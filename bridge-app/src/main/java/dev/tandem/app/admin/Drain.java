package dev.tandem.app.admin;

import dev.tandem.core.call.Switchboard;
import dev.tandem.core.health.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Winds the bridge down before a restart: {@code /readyz} answers 503 at once (a load balancer
 * sends no one new), the switchboard refuses new sessions and calls ({@link Switchboard#drain}),
 * calls in progress go on; when the last one ends, or at the deadline, {@code exit} runs (the
 * process then stops as on SIGTERM, ending what is left with {@code server-shutdown}, and exits 0).
 *
 * <p>Thread-safe.
 */
public final class Drain {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  /** The readiness component a drain turns to {@code STOPPING}. */
  static final String READINESS_COMPONENT = "drain";

  private final Switchboard switchboard;
  private final Readiness readiness;
  private final AdminSettings settings;
  private final Clock clock;
  private final Runnable exit;
  private Instant startedAt;
  private Instant deadline;
  private boolean exited;

  /**
   * @param exit asks the process to stop; runs once
   */
  public Drain(
      Switchboard switchboard,
      Readiness readiness,
      AdminSettings settings,
      Clock clock,
      Runnable exit) {
    this.switchboard = switchboard;
    this.readiness = readiness;
    this.settings = settings;
    this.clock = clock;
    this.exit = exit;
  }

  /**
   * Starts draining with {@code deadline} (else {@code admin.drain-deadline}); a drain under way
   * keeps its deadline.
   *
   * @return when it started and its deadline
   */
  public synchronized Started start(Optional<Duration> deadline) {
    if (startedAt != null) {
      return new Started(startedAt, this.deadline, false);
    }
    Duration wait = deadline.orElse(settings.drainDeadline());
    startedAt = clock.instant();
    this.deadline = startedAt.plus(wait);
    readiness.set(READINESS_COMPONENT, Readiness.State.STOPPING);
    log.info(
        "draining: new sessions and calls refused; exit when the last call ends or in {}", wait);
    switchboard.drain(settings.drainRetryAfter()).thenRun(() -> exit("the last call ended"));
    CompletableFuture.runAsync(
        () -> exit("the drain deadline passed"),
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
    return new Started(startedAt, this.deadline, true);
  }

  /** A drain's start and deadline; {@code first} is false when one was already under way. */
  public record Started(Instant startedAt, Instant deadline, boolean first) {}

  /** The drain under way, if any. */
  public synchronized Optional<Started> state() {
    return startedAt == null
        ? Optional.empty()
        : Optional.of(new Started(startedAt, deadline, false));
  }

  private void exit(String why) {
    synchronized (this) {
      if (exited) {
        return;
      }
      exited = true;
    }
    log.info("drained: {}; stopping", why);
    exit.run();
  }
}

package dev.tandem.core.time;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and timers core reads. Tasks run on the signaling loop, never concurrently with another
 * core task (see {@link dev.tandem.core.call.SignalingLoop}).
 */
public interface Scheduler {

  /** The current time. */
  Instant now();

  /** Runs {@code task} once after {@code delay}, unless cancelled first. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled; cancelling twice, or after it ran, does nothing. */
  interface Cancellable {
    void cancel();

    /** For a field that holds no timer yet. */
    Cancellable NONE = () -> {};
  }
}

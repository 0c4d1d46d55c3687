package dev.tandem.media.rtpengine;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per interval for rtpengine's refusals of the same kind ("Ran out of ports"), with
 * the count since the last line: at 200 calls a second an rtpengine out of ports refuses hundreds
 * of offers, and each call's own failure is already told to its browser and logged by core.
 *
 * <p>Thread-safe.
 */
final class RefusalLog {
  private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private long lastLine;
  private boolean logged;
  private long since;

  RefusalLog(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** One refusal by {@code instance}; logged when the last line is older than the interval. */
  void refused(String instance, String reason) {
    long count;
    synchronized (this) {
      since++;
      long now = nanoTime.getAsLong();
      if (logged && now - lastLine < intervalNanos) {
        return;
      }
      logged = true;
      lastLine = now;
      count = since;
      since = 0;
    }
    log.warn(
        "rtpengine {} refuses offers: {} ({} since the last such line); size its"
            + " --port-min..--port-max for 4 ports per call held",
        instance,
        reason,
        count);
  }

  /** Refusals not yet in a line. */
  synchronized long pending() {
    return since;
  }
}

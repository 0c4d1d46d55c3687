package dev.tandem.app.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Counts what a queue had to drop and says so at WARN, at most once per interval, naming the first
 * ids dropped since the last report (the rest as a count), so that a full queue cannot flood the
 * log. Thread-safe.
 */
final class DropReport {
  /** Ids named per report; the rest are counted. */
  static final int IDS_PER_REPORT = 20;

  private final Logger log;
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final List<String> ids = new ArrayList<>();
  private long pending;
  private long total;
  private long nextReportAt;

  /**
   * @param what what is dropped and why, for the message ("webhook events for http://...: queue
   *     full (10000)")
   */
  DropReport(Logger log, String what, Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.what = what;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.nextReportAt = nanoTime.getAsLong();
  }

  /** One more dropped; reported now if the last report is an interval old. */
  void dropped(String id) {
    synchronized (this) {
      total++;
      pending++;
      if (ids.size() < IDS_PER_REPORT) {
        ids.add(id);
      }
    }
    flush();
  }

  /** Reports what was dropped since the last report, once the interval has passed. */
  void flush() {
    flush(false);
  }

  /** Reports what was dropped since the last report, now (at close). */
  void flushNow() {
    flush(true);
  }

  private void flush(boolean now) {
    String message;
    synchronized (this) {
      long at = nanoTime.getAsLong();
      if (pending == 0 || (!now && at - nextReportAt < 0)) {
        return;
      }
      nextReportAt = at + intervalNanos;
      message =
          pending
              + " dropped ("
              + total
              + " in all): "
              + String.join(", ", ids)
              + (pending > ids.size() ? " and " + (pending - ids.size()) + " more" : "");
      pending = 0;
      ids.clear();
    }
    log.warn("{}: {}", what, message);
  }

  /** How many were dropped in all. */
  synchronized long total() {
    return total;
  }
}

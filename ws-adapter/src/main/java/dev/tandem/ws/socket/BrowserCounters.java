package dev.tandem.ws.socket;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of what the browser endpoint's limits refused (docs/protocol.md, ws settings), for
 * the metrics that bridge-app serves: messages over the rate limit, messages over the size limit,
 * connections closed for too many violations, and WebSocket upgrades from an origin that is not
 * allowed. Counted on Jetty's threads; read at any time from any thread.
 */
public final class BrowserCounters {
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder tooLarge = new LongAdder();
  private final LongAdder closedForViolations = new LongAdder();
  private final LongAdder originsRefused = new LongAdder();

  void rateLimited() {
    rateLimited.increment();
  }

  void tooLarge() {
    tooLarge.increment();
  }

  void closedForViolations() {
    closedForViolations.increment();
  }

  void originRefused() {
    originsRefused.increment();
  }

  /** Messages refused for going over {@code ws.messages-per-second} (and its burst). */
  public long rateLimitedMessages() {
    return rateLimited.sum();
  }

  /** Messages refused for being larger than {@code ws.max-message-size}. */
  public long tooLargeMessages() {
    return tooLarge.sum();
  }

  /** Connections closed after more than {@code ws.max-violations} refused messages. */
  public long connectionsClosedForViolations() {
    return closedForViolations.sum();
  }

  /** WebSocket upgrades refused because their Origin is not in {@code ws.allowed-origins}. */
  public long originsRefused() {
    return originsRefused.sum();
  }
}

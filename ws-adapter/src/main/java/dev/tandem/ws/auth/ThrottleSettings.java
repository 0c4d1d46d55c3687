package dev.tandem.ws.auth;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.time.Duration;

/**
 * The {@code auth.throttle} section: how wrong passwords slow down guessing, per user name and per
 * source address (WebSocket login and {@code /api/ice-servers}).
 *
 * @param freeFailures wrong passwords a user or address may give before the back-off starts
 * @param initialDelay the first back-off; each further failure doubles it
 * @param maxDelay the longest back-off
 * @param forgetAfter how long after its last failure a user or address starts afresh
 * @param maxEntries users and addresses remembered at once; the least recently seen are forgotten
 */
public record ThrottleSettings(
    @Range(min = 1, max = 1000) int freeFailures,
    @DurationRange(minMillis = 1, maxMillis = 3_600_000) Duration initialDelay,
    @DurationRange(minMillis = 1, maxMillis = 86_400_000) Duration maxDelay,
    @DurationRange(minMillis = 1_000, maxMillis = 86_400_000) Duration forgetAfter,
    @Range(min = 16, max = 10_000_000) int maxEntries)
    implements SelfChecking {

  /** 5 free failures, then 1 s doubling to 5 min; forgotten after 15 min; 100,000 entries. */
  public static ThrottleSettings defaults() {
    return new ThrottleSettings(
        5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15), 100_000);
  }

  @Override
  public void check(Problems problems) {
    if (maxDelay.compareTo(initialDelay) < 0) {
      problems.add("max-delay", "must not be shorter than initial-delay");
    }
  }
}

package dev.tandem.core.call;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import java.time.Duration;

/**
 * The {@code calls} section of the configuration.
 *
 * @param ringTimeout how long a call rings before it ends with {@code no-answer}
 * @param maxPerUser the most calls (ringing or answered) one user may be in at once
 */
public record CallSettings(
    @DurationRange(minMillis = 1_000, maxMillis = 600_000) Duration ringTimeout,
    @Range(min = 1, max = 1000) int maxPerUser) {

  public static CallSettings defaults() {
    return new CallSettings(Duration.ofSeconds(60), 4);
  }
}

package dev.tandem.core.call;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import java.time.Duration;

/**
 * The {@code calls} section of the configuration.
 *
 * @param ringTimeout how long a call rings before it ends with {@code no-answer}
 * @param maxPerUser the most calls (ringing or answered) one user may be in at once
 * @param mediaTimeout how long an answered call to or from SIP may go without media from the SIP
 *     side before it ends with {@code timeout}; zero turns it off
 */
public record CallSettings(
    @DurationRange(minMillis = 1_000, maxMillis = 600_000) Duration ringTimeout,
    @Range(min = 1, max = 1000) int maxPerUser,
    @DurationRange(minMillis = 0, maxMillis = 3_600_000) Duration mediaTimeout) {

  public static CallSettings defaults() {
    return new CallSettings(Duration.ofSeconds(60), 4, Duration.ofSeconds(60));
  }
}

package dev.tandem.app.config;

import dev.tandem.core.config.DurationRange;
import java.time.Duration;

/**
 * The {@code shutdown} section.
 *
 * @param gracePeriod how long a stop waits for calls to end cleanly before closing listeners
 */
public record ShutdownSettings(
    @DurationRange(minMillis = 0, maxMillis = 300_000) Duration gracePeriod) {

  public static ShutdownSettings defaults() {
    return new ShutdownSettings(Duration.ofSeconds(10));
  }
}

package dev.tandem.core.call;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import java.time.Duration;

/**
 * The {@code sessions} section of the configuration: browser sessions and their resume.
 *
 * @param resumeGrace how long a session whose connection dropped keeps its calls, waiting for the
 *     browser to resume
 * @param maxPerUser the most sessions (tabs, devices) one user may have at once
 * @param maxQueuedEvents the most events kept for a disconnected session; beyond it the session
 *     ends
 */
public record SessionSettings(
    @DurationRange(minMillis = 0, maxMillis = 600_000) Duration resumeGrace,
    @Range(min = 1, max = 100) int maxPerUser,
    @Range(min = 16, max = 100_000) int maxQueuedEvents) {

  public static SessionSettings defaults() {
    return new SessionSettings(Duration.ofSeconds(30), 8, 1000);
  }
}

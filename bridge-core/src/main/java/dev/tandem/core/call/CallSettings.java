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
 * @param keyframeRequestInterval the least time between two SIP INFO {@code picture_fast_update}
 *     key-frame requests (RFC 5168) to one call's SIP peer, and between two of the peer's turned
 *     into RTCP PLI toward the browser; requests in between are dropped (browsers send a PLI for
 *     every lost frame)
 */
public record CallSettings(
    @DurationRange(minMillis = 1_000, maxMillis = 600_000) Duration ringTimeout,
    @Range(min = 1, max = 1000) int maxPerUser,
    @DurationRange(minMillis = 0, maxMillis = 3_600_000) Duration mediaTimeout,
    @DurationRange(minMillis = 100, maxMillis = 60_000) Duration keyframeRequestInterval) {

  /** The default key-frame request interval: one INFO a second at most. */
  public static final Duration KEYFRAME_REQUEST_INTERVAL = Duration.ofSeconds(1);

  /** Settings with the default key-frame request interval. */
  public CallSettings(Duration ringTimeout, int maxPerUser, Duration mediaTimeout) {
    this(ringTimeout, maxPerUser, mediaTimeout, KEYFRAME_REQUEST_INTERVAL);
  }

  public static CallSettings defaults() {
    return new CallSettings(
        Duration.ofSeconds(60), 4, Duration.ofSeconds(60), KEYFRAME_REQUEST_INTERVAL);
  }
}

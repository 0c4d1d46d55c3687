package dev.tandem.sdp.translate;

import dev.tandem.sdp.SessionDescription;
import java.util.Map;
import java.util.Objects;

/**
 * A translated description and how payload types are renumbered between the two sides, per carried
 * stream. For an offer the maps hold the offered payload types; the answer's translation gives the
 * final maps. A call without video has an empty {@code video} map.
 */
public record Translation(
    SessionDescription sdp, PayloadTypeMap payloadTypes, PayloadTypeMap video) {
  public Translation {
    Objects.requireNonNull(sdp, "sdp");
    Objects.requireNonNull(payloadTypes, "payloadTypes");
    Objects.requireNonNull(video, "video");
  }

  /** An audio-only translation. */
  public Translation(SessionDescription sdp, PayloadTypeMap payloadTypes) {
    this(sdp, payloadTypes, new PayloadTypeMap(Map.of()));
  }

  /** Whether a video stream crosses (its map is not empty). */
  public boolean carriesVideo() {
    return !video.browserToSip().isEmpty();
  }
}

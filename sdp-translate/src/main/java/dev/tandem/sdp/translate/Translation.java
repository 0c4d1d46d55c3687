package dev.tandem.sdp.translate;

import dev.tandem.sdp.SessionDescription;
import java.util.Objects;

/**
 * A translated description and how payload types are renumbered between the two sides. For an offer
 * the map holds the offered payload types; the answer's translation gives the final map.
 */
public record Translation(SessionDescription sdp, PayloadTypeMap payloadTypes) {
  public Translation {
    Objects.requireNonNull(sdp, "sdp");
    Objects.requireNonNull(payloadTypes, "payloadTypes");
  }
}

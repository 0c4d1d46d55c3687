package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * An INVITE from a SIP peer for the browser user {@code toUser}; {@code sdp} is its offer, empty
 * for a late offer (RFC 3261 §13.2.1: the bridge offers in its 200, the answer comes in the ACK).
 */
public record InboundInvite(
    String sipCallId, String from, String fromDisplay, String toUser, Optional<String> sdp) {
  public InboundInvite {
    Objects.requireNonNull(sipCallId, "sipCallId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(toUser, "toUser");
    Objects.requireNonNull(sdp, "sdp");
  }

  /** What a browser shows as the caller: the display name, else the From URI. */
  public String caller() {
    return fromDisplay == null || fromDisplay.isBlank() ? from : fromDisplay;
  }
}

package dev.tandem.core.sip;

import java.util.Objects;

/** An INVITE from a SIP peer for the browser user {@code toUser}. */
public record InboundInvite(
    String sipCallId, String from, String fromDisplay, String toUser, String sdp) {
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

package dev.tandem.core.sip;

import dev.tandem.core.vocabulary.CallId;
import java.util.Objects;

/**
 * An INVITE core wants sent: to {@code requestUri}, through {@code destination}, for the browser
 * user (or SIP caller) {@code fromUser}, presented as {@code from}, with the SDP already rewritten
 * for the SIP side.
 */
public record OutboundInvite(
    CallId callId,
    Destination destination,
    String requestUri,
    String fromUser,
    CallerId from,
    String sdp) {
  public OutboundInvite {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(fromUser, "fromUser");
    Objects.requireNonNull(sdp, "sdp");
  }

  /** From the browser user at this bridge. */
  public OutboundInvite(
      CallId callId, Destination destination, String requestUri, String fromUser, String sdp) {
    this(callId, destination, requestUri, fromUser, CallerId.of(fromUser), sdp);
  }
}

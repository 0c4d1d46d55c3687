package dev.tandem.core.sip;

import dev.tandem.core.call.CallId;
import java.util.Objects;

/**
 * An INVITE core wants sent: to {@code requestUri}, through {@code destination}, from the browser
 * user {@code fromUser}, with the SDP already rewritten for the SIP side.
 */
public record OutboundInvite(
    CallId callId, Destination destination, String requestUri, String fromUser, String sdp) {
  public OutboundInvite {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(fromUser, "fromUser");
    Objects.requireNonNull(sdp, "sdp");
  }
}

package dev.tandem.core.sip;

import dev.tandem.core.vocabulary.CallId;
import java.util.Objects;
import java.util.Optional;

/**
 * An INVITE core wants sent: to {@code requestUri}, through {@code destination}, from the browser
 * user {@code fromUser} (or from {@code fromUri}, the user's own address of record at that
 * destination), with the SDP already rewritten for the SIP side.
 */
public record OutboundInvite(
    CallId callId,
    Destination destination,
    String requestUri,
    String fromUser,
    Optional<String> fromUri,
    String sdp) {
  public OutboundInvite {
    Objects.requireNonNull(fromUri, "fromUri");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(fromUser, "fromUser");
    Objects.requireNonNull(sdp, "sdp");
  }

  /** From the browser user at this bridge. */
  public OutboundInvite(
      CallId callId, Destination destination, String requestUri, String fromUser, String sdp) {
    this(callId, destination, requestUri, fromUser, Optional.empty(), sdp);
  }
}

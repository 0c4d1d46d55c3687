package dev.tandem.core.sip;

import dev.tandem.core.browser.Caller;
import java.util.Objects;
import java.util.Optional;

/**
 * An INVITE from a SIP peer for {@code toUser}, the Request-URI user (a browser user, a registrar
 * account, or a called number that the inbound table routes).
 *
 * @param sdp its offer, empty for a late offer (RFC 3261 §13.2.1: the bridge offers in its 200, the
 *     answer comes in the ACK)
 * @param source the IP address the INVITE came from (a literal), for the trust rule
 * @param authenticated the registrar account the caller proved by digest, if it did
 */
public record InboundInvite(
    String sipCallId,
    String from,
    String fromDisplay,
    String toUser,
    Optional<String> sdp,
    String source,
    Optional<String> authenticated) {
  public InboundInvite {
    Objects.requireNonNull(sipCallId, "sipCallId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(toUser, "toUser");
    Objects.requireNonNull(sdp, "sdp");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(authenticated, "authenticated");
  }

  /** An INVITE from an unknown address, not authenticated. */
  public InboundInvite(
      String sipCallId, String from, String fromDisplay, String toUser, Optional<String> sdp) {
    this(sipCallId, from, fromDisplay, toUser, sdp, "unknown", Optional.empty());
  }

  /** An INVITE with an offer from an unknown address, not authenticated. */
  public InboundInvite(
      String sipCallId, String from, String fromDisplay, String toUser, String sdp) {
    this(sipCallId, from, fromDisplay, toUser, Optional.of(sdp));
  }

  /**
   * The caller in {@code call.incoming}'s shape: the From's user part (a {@code tel:} URI's
   * number), display name and URI.
   */
  public Caller callerIdentity() {
    String user =
        SipUris.user(from)
            .or(
                () ->
                    from.regionMatches(true, 0, "tel:", 0, 4)
                        ? Optional.of(telNumber())
                        : Optional.empty())
            .orElse("");
    return new Caller(
        user, Optional.ofNullable(fromDisplay).filter(d -> !d.isBlank()), Optional.of(from));
  }

  private String telNumber() {
    String number = from.substring(4);
    int semicolon = number.indexOf(';');
    return semicolon < 0 ? number : number.substring(0, semicolon);
  }

  /** What a browser shows as the caller: the display name, else the From URI. */
  public String caller() {
    return fromDisplay == null || fromDisplay.isBlank() ? from : fromDisplay;
  }
}

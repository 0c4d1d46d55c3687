package dev.tandem.core.sip;

import java.time.Duration;

/**
 * What core can do in an established SIP dialog, whichever side placed the call. Calls are
 * idempotent and never throw; outcomes come back as {@link SipLegEvent}s.
 */
public interface DialogLeg {
  /** BYE once answered. */
  void bye();

  /**
   * Once answered, sends {@code digits} as SIP INFO ({@code application/dtmf-relay}, RFC 6086), one
   * request per digit, in order, each {@code toneDuration} apart; {@code ,} pauses.
   */
  void dtmf(String digits, Duration toneDuration);

  /**
   * Once answered, asks the peer's video encoder for a key frame: SIP INFO with an {@code
   * application/media_control+xml} {@code picture_fast_update} body (RFC 5168), for a peer whose
   * SDP has no RTCP feedback to ask with. A refusal or timeout comes as {@link
   * SipLegEvent.KeyframeRequestRefused}; a 2xx is not reported.
   */
  void requestKeyframe();

  /**
   * A re-INVITE with {@code sdp} as the new offer (hold, resume, a new address); the outcome comes
   * as {@link SipLegEvent.ReinviteAnswered} (already ACKed) or {@link SipLegEvent.ReinviteFailed}.
   */
  void reinvite(String sdp);

  /** 200 OK with {@code sdp} to the peer's pending re-INVITE ({@link SipLegEvent.Reinvite}). */
  void acceptReinvite(String sdp);

  /** A final error to the peer's pending re-INVITE, e.g. 491 Request Pending, 488. */
  void rejectReinvite(int status, String reason);

  default void rejectReinvite(SipReasons.Status status) {
    rejectReinvite(status.code(), status.phrase());
  }

  /**
   * Sends REFER (RFC 3515) asking the peer to call {@code referTo}; the outcome comes as {@link
   * SipLegEvent.TransferProgress}.
   */
  void refer(String referTo);

  /**
   * The URI that makes this dialog's peer replace this dialog with a new call (its remote target
   * with a Replaces header, RFC 3891), for an attended transfer; empty before the dialog stands.
   */
  java.util.Optional<String> replacingUri();

  /** A NOTIFY (sipfrag) telling the peer how the call its REFER asked for goes. */
  void notifyRefer(int status, String reason);

  default void notifyRefer(SipReasons.Status status) {
    notifyRefer(status.code(), status.phrase());
  }
}

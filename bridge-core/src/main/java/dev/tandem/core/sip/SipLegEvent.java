package dev.tandem.core.sip;

import java.util.Optional;

/** What happened on a SIP leg, as core needs to know it. */
public sealed interface SipLegEvent {
  /** A provisional response (180, 183), with SDP when it carries early media. */
  record Provisional(int status, String reason, Optional<String> sdp) implements SipLegEvent {}

  /** The 2xx to our INVITE, already ACKed by the adapter. */
  record Answered(String sdp) implements SipLegEvent {}

  /** A final non-2xx response to our INVITE, or a transaction timeout (408). */
  record Failed(int status, String reason) implements SipLegEvent {
    public Failed(SipReasons.Status status) {
      this(status.code(), status.phrase());
    }
  }

  /** The peer sent BYE (already answered 200 by the adapter). */
  record Bye(Optional<String> reason) implements SipLegEvent {}

  /**
   * The peer cancelled its INVITE (the adapter answered 200 to CANCEL and 487 to the INVITE);
   * {@code answeredElsewhere} when the CANCEL's {@code Reason: SIP;cause=200} says another fork of
   * the caller answered (RFC 3326; Kamailio, Asterisk and FreeSWITCH send it).
   */
  record Cancelled(boolean answeredElsewhere) implements SipLegEvent {
    /** A plain CANCEL: the caller gave up. */
    public Cancelled() {
      this(false);
    }
  }

  /** The peer sent a DTMF digit in a SIP INFO (already answered 200 by the adapter). */
  record Dtmf(char digit, java.time.Duration duration) implements SipLegEvent {}

  /**
   * The peer asked for a key frame of the video it receives: SIP INFO {@code picture_fast_update}
   * (RFC 5168), already answered 200 by the adapter.
   */
  record KeyframeWanted() implements SipLegEvent {}

  /**
   * A final error (415, 501 ...) or a timeout for our INFO {@code picture_fast_update} ({@link
   * DialogLeg#requestKeyframe}): the peer takes none.
   */
  record KeyframeRequestRefused(int status, String reason) implements SipLegEvent {}

  /**
   * The peer's re-INVITE or UPDATE (RFC 3311) with a new offer; core answers it with accept or
   * reject.
   */
  record Reinvite(String sdp) implements SipLegEvent {}

  /** The 2xx to our re-INVITE, already ACKed, with the peer's answer. */
  record ReinviteAnswered(String sdp) implements SipLegEvent {}

  /** A final non-2xx to our re-INVITE (491 after glare), or its timeout (408). */
  record ReinviteFailed(int status, String reason) implements SipLegEvent {}

  /**
   * The session timer ran out (RFC 4028 §10): the peer stopped refreshing, or our refresh was
   * refused with 408/481. The adapter has sent BYE.
   */
  record SessionExpired() implements SipLegEvent {}

  /**
   * How our REFER goes: its own refusal (a final error), or a NOTIFY's sipfrag status line from the
   * transfer target (100, 180, 200, or a failure).
   */
  record TransferProgress(int status, String reason) implements SipLegEvent {}

  /**
   * The peer sent a REFER (RFC 3515), already answered 202: it asks us to call {@code referTo}.
   * Core reports progress with {@link DialogLeg#notifyRefer}.
   */
  record Referred(String referTo) implements SipLegEvent {}

  /**
   * The ACK for a 2xx of ours that carried an offer (a late-offer INVITE's 200, or a 200 to a
   * re-INVITE without SDP): the peer's answer (RFC 3264 §5), empty when the ACK carried none. For a
   * re-INVITE it comes only when the answer differs from the peer's last SDP.
   */
  record AnswerInAck(Optional<String> sdp) implements SipLegEvent {}

  /** The ACK for our 2xx never came (RFC 3261 §13.3.1.4): the call is dead. */
  record AckTimeout() implements SipLegEvent {}
}

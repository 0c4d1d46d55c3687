package dev.tandem.core.browser;

import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import java.util.Optional;
import java.util.OptionalInt;

/** What core tells a browser session. Per call, events reach the session in the order sent. */
public sealed interface BrowserEvent {

  /**
   * A call for this session's user; every session of the user gets it. {@code sdp}: the offer, or
   * empty when the caller sent none (a SIP late offer): the answering browser then makes the offer
   * and gets the answer as {@link Answered}. {@code dtmf}: how to send DTMF on it once answered.
   * {@code from}: what to show (display name, else URI or user); {@code caller}: who calls, in one
   * shape for every kind of caller.
   */
  record Incoming(CallId callId, String from, Optional<String> sdp, DtmfMethod dtmf, Caller caller)
      implements BrowserEvent {
    /** A call from browser user {@code from}. */
    public Incoming(CallId callId, String from, Optional<String> sdp, DtmfMethod dtmf) {
      this(callId, from, sdp, dtmf, Caller.browserUser(from));
    }
  }

  /** The callee is being alerted. */
  record Ringing(CallId callId) implements BrowserEvent {}

  /** Early media: a provisional answer ({@code pranswer}), if the far end sent SDP. */
  record Progress(CallId callId, Optional<String> sdp) implements BrowserEvent {}

  /** The callee answered, with its SDP answer; {@code dtmf}: how to send DTMF on the call. */
  record Answered(CallId callId, String sdp, DtmfMethod dtmf) implements BrowserEvent {}

  /** The peer's trickled candidate, or empty for its end-of-candidates. */
  record Candidate(CallId callId, Optional<IceCandidate> candidate) implements BrowserEvent {}

  /** The peer renegotiates: a new offer, or the answer to this session's offer. */
  record Update(CallId callId, SdpType type, String sdp) implements BrowserEvent {}

  /** A DTMF digit the peer sent out of band (signaling, or SIP INFO). */
  record Dtmf(CallId callId, char digit) implements BrowserEvent {}

  /**
   * How this session's transfer of the call goes: the far end's progress (SIP status of the
   * transfer target: 100, 180, 200; or the failure). A 2xx ends the call ({@code transferred}).
   */
  record TransferProgress(CallId callId, int status, String reason) implements BrowserEvent {}

  /**
   * The SIP peer asks this session to call {@code to} instead (it sent REFER): the browser places
   * that call with {@code referId}, and the peer hears how it goes.
   */
  record Referred(CallId callId, String referId, String to, String uri) implements BrowserEvent {}

  /** The call is over for this session. */
  record Ended(CallId callId, EndReason reason, OptionalInt sipCode, Optional<String> sipReason)
      implements BrowserEvent {
    public static Ended of(CallId callId, EndReason reason) {
      return new Ended(callId, reason, OptionalInt.empty(), Optional.empty());
    }
  }

  /** The call this event belongs to. */
  CallId callId();
}

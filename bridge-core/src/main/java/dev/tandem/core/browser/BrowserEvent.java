package dev.tandem.core.browser;

import dev.tandem.core.call.CallId;
import dev.tandem.core.call.EndReason;
import java.util.Optional;
import java.util.OptionalInt;

/** What core tells a browser session. Per call, events reach the session in the order sent. */
public sealed interface BrowserEvent {

  /**
   * A call for this session's user; every session of the user gets it. {@code dtmf}: how to send
   * DTMF on it once answered.
   */
  record Incoming(CallId callId, String from, String sdp, DtmfMethod dtmf)
      implements BrowserEvent {}

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

package dev.tandem.core.browser;

import dev.tandem.core.call.CallId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What an authenticated browser session asks core to do with its calls. */
public sealed interface BrowserRequest {

  /** A request about one existing call. */
  sealed interface CallRequest extends BrowserRequest
      permits AddCandidate, Answer, Reject, Hangup, Update, SendDtmf {
    CallId callId();
  }

  /** Place a call to a user name, an extension or a SIP URI, with the browser's SDP offer. */
  record Invite(String to, String sdp) implements BrowserRequest {
    public Invite {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(sdp, "sdp");
    }
  }

  /** A trickled candidate, or empty for end-of-candidates. */
  record AddCandidate(CallId callId, Optional<IceCandidate> candidate) implements CallRequest {}

  /** Answer an incoming call. */
  record Answer(CallId callId, String sdp) implements CallRequest {}

  /** Decline an incoming call. */
  record Reject(CallId callId, RejectReason reason) implements CallRequest {}

  /** End a call in any state. */
  record Hangup(CallId callId) implements CallRequest {}

  /** A new offer, or the answer to the peer's, during a call. */
  record Update(CallId callId, SdpType type, String sdp) implements CallRequest {}

  /** Send DTMF digits ({@code 0-9 A-D * #}, {@code ,} a pause). */
  record SendDtmf(CallId callId, String digits, Duration toneDuration) implements CallRequest {}

  /** Why a browser declined a call. */
  enum RejectReason {
    BUSY,
    DECLINED
  }
}

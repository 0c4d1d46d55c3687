package dev.tandem.core.browser;

import dev.tandem.core.vocabulary.CallId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What an authenticated browser session asks core to do with its calls. */
public sealed interface BrowserRequest {

  /** A request about one existing call. */
  sealed interface CallRequest extends BrowserRequest
      permits AddCandidate, Answer, Reject, Hangup, Update, SendDtmf, Transfer {
    CallId callId();
  }

  /**
   * Place a call to a user name, an extension or a SIP URI, with the browser's SDP offer; {@code
   * referId}: the call follows a SIP peer's REFER ({@link BrowserEvent.Referred}), whose referrer
   * is told how it goes; {@code anonymous}: the callee is not shown who calls (RFC 3323), where the
   * destination allows it.
   */
  record Invite(String to, String sdp, Optional<String> referId, boolean anonymous)
      implements BrowserRequest {
    public Invite {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(sdp, "sdp");
      Objects.requireNonNull(referId, "referId");
    }

    public Invite(String to, String sdp, Optional<String> referId) {
      this(to, sdp, referId, false);
    }

    public Invite(String to, String sdp) {
      this(to, sdp, Optional.empty());
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

  /**
   * Transfer a SIP call: blind, to {@code to} (dialled as a new call would be, with the same
   * permissions), or attended, replacing {@code replaces}, another SIP call of this session.
   * Exactly one of the two is present.
   */
  record Transfer(CallId callId, Optional<String> to, Optional<CallId> replaces)
      implements CallRequest {
    public Transfer {
      if (to.isPresent() == replaces.isPresent()) {
        throw new IllegalArgumentException("a transfer names a target or a call to replace");
      }
    }
  }

  /** Why a browser declined a call. */
  enum RejectReason {
    BUSY,
    DECLINED
  }
}

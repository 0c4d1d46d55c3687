package dev.tandem.core.sip;

import java.time.Duration;
import java.util.Optional;

/** Core's handle on an INVITE a SIP peer sent. Calls are idempotent and never throw. */
public interface InboundLeg extends DialogLeg {
  /** 180 Ringing. */
  void ringing();

  /** 200 OK with the SDP answer. */
  void answer(String sdp);

  /**
   * 200 OK with the bridge's SDP offer, for an INVITE that carried none (a late offer, RFC 3261
   * §13.2.1, RFC 3264 §5); the peer's answer comes with its ACK as {@link SipLegEvent.AnswerInAck}.
   */
  void offer(String sdp);

  /** A final error response, e.g. 486 Busy Here, 480 Temporarily Unavailable. */
  void reject(int status, String reason);

  default void reject(SipReasons.Status status) {
    reject(status.code(), status.phrase());
  }

  /**
   * A final error response that also says why, for the peer's log (a {@code Warning}, RFC 3261
   * §20.43): e.g. a 488 naming the SDP line the bridge cannot carry.
   */
  default void reject(SipReasons.Status status, String why) {
    reject(status);
  }

  /**
   * As {@link #reject(SipReasons.Status, String)}, with a {@code Retry-After} (RFC 3261 §20.33)
   * when the peer may try again later: a 503 while the bridge drains.
   */
  default void reject(SipReasons.Status status, String why, Optional<Duration> retryAfter) {
    reject(status, why);
  }
}

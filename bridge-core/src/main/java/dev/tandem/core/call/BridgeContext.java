package dev.tandem.core.call;

import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.CallId;
import java.time.Duration;
import java.time.Instant;

/**
 * What a call bridged to SIP uses besides its sessions: the signaling loop (to come back to after
 * asynchronous media and SIP work), timers, the media backend and the SIP side.
 */
interface BridgeContext extends PeerCall.Effects {
  /** Runs {@code work} on the signaling loop later, with the call id in the MDC. */
  void onLoop(CallId call, Runnable work);

  /** A timer firing on the signaling loop, with the call id in the MDC. */
  Scheduler.Cancellable schedule(CallId call, Duration delay, Runnable work);

  MediaBackend media();

  /** How the SIP side of each call protects its media (SDES-SRTP or plain RTP). */
  SipMediaPolicy sipMediaPolicy();

  /** The current time of the scheduler timers use. */
  Instant now();

  /** How long an answered call may go without media from the SIP side; zero: forever. */
  Duration mediaTimeout();

  /** The least time between two key-frame requests by SIP INFO to one call's SIP peer. */
  Duration keyframeRequestInterval();

  SipSide sip();

  /** Transfer targets and referrals. */
  Transfers.Directory transfers();
}

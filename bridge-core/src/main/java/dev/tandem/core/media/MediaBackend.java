package dev.tandem.core.media;

import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.translate.SipMedia;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a browser ⇄ SIP call's media goes through: rtpengine, or the embedded relay. Core hands it
 * each SDP on its way from one side to the other and sends on the SDP it returns (the same media,
 * rewritten to flow through the relay in the other side's form).
 *
 * <p>Each call uses one endpoint, allocated by the first {@link #offer} and freed by {@link
 * #release}. Methods never block their caller (core calls them on its signaling loop): they return
 * at once and complete the stage later, on the backend's own threads — so whatever is chained onto
 * a stage must not block either (core's {@code MediaSteps} only hands the result back to its loop).
 * Failures complete the stage exceptionally with a {@link MediaException}.
 */
public interface MediaBackend {
  /**
   * An SDP offer from {@code from}; returns the offer to send to the other side. Also used for
   * re-offers during the call (hold, new address).
   *
   * @param sip the SIP side's media policy (of the destination or phone): how its media is
   *     protected — what an offer toward SIP carries, which answers from SIP are acceptable, and
   *     whether a plain offer from SIP is refused (a {@link MediaException} with {@code badSdp}) —
   *     and whether video crosses (when not, video m-lines are refused with port 0)
   */
  CompletionStage<String> offer(CallId call, Side from, String sdp, SipMedia sip);

  /** An offer with plain RTP, audio and video, on the SIP side ({@link SipMedia#PLAIN}). */
  default CompletionStage<String> offer(CallId call, Side from, String sdp) {
    return offer(call, from, sdp, SipMedia.PLAIN);
  }

  /**
   * Asks the {@code toward} side of the call for a key frame of its video (an RTCP PLI, RFC 4585
   * §6.3.1): a SIP peer asked for one by SIP INFO (RFC 5168). Never blocks; does nothing for a call
   * without video, and with a backend that does not handle the call's RTCP itself (rtpengine).
   */
  void requestKeyframe(CallId call, Side toward);

  /**
   * Who hears of key-frame requests (RTCP PLI or FIR) from one side that the other side can only
   * take as SIP INFO (its SDP has no {@code a=rtcp-fb} for them): core sends the INFO. Set once,
   * before the first call.
   */
  void onKeyframeWanted(KeyframeListener listener);

  /**
   * Hears key-frame requests the SIP side can only take as SIP INFO {@code picture_fast_update}.
   */
  @FunctionalInterface
  interface KeyframeListener {
    /** The browser of {@code call} asked for a key frame of the SIP side's video. Any thread. */
    void keyframeWanted(CallId call);
  }

  /** The SDP answer from {@code from} to the last offer; returns the answer for the offerer. */
  CompletionStage<String> answer(CallId call, Side from, String sdp);

  /** Packets received so far from each side of the call, for the media timeout. */
  CompletionStage<MediaActivity> activity(CallId call);

  /**
   * Frees the call's endpoint; safe to call more than once and for unknown calls. Returns at once;
   * the stage completes with what the call's media did ({@link MediaStats}, read as the endpoint
   * closed), or empty for an unknown call or when the backend could not say. It never completes
   * exceptionally.
   */
  CompletionStage<Optional<MediaStats>> release(CallId call);

  /** A short name for logs and readiness ("rtpengine 127.0.0.1:2223"). */
  String describe();

  /** The two sides of a bridged call. */
  enum Side {
    /** WebRTC: ICE, DTLS-SRTP, rtcp-mux, BUNDLE. */
    BROWSER,
    /** Plain RTP/AVP, or SDES-SRTP (RTP/SAVP), toward a SIP peer. */
    SIP
  }
}

package dev.tandem.core.media;

import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.translate.MediaEncryption;
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
   * @param sipEncryption how the SIP side's media is protected (the policy of the destination or
   *     phone): what an offer toward SIP carries, which answers from SIP are acceptable, and
   *     whether a plain offer from SIP is refused (a {@link MediaException} with {@code badSdp})
   */
  CompletionStage<String> offer(CallId call, Side from, String sdp, MediaEncryption sipEncryption);

  /** An offer with plain RTP on the SIP side ({@link MediaEncryption#PLAIN}). */
  default CompletionStage<String> offer(CallId call, Side from, String sdp) {
    return offer(call, from, sdp, MediaEncryption.PLAIN);
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

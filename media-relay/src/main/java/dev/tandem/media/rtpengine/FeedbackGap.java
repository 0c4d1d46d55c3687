package dev.tandem.media.rtpengine;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;

/**
 * Whether a browser's key-frame requests cannot reach the SIP side of a call through rtpengine, so
 * that the bridge has to ask by SIP INFO {@code picture_fast_update} (RFC 5168) instead.
 *
 * <p>rtpengine 10.5 removes RTCP feedback (RFC 4585 transport- and payload-specific messages: NACK,
 * PLI, FIR) from what it passes from an {@code RTP/SAVPF} side to an {@code RTP/AVP} or {@code
 * RTP/SAVP} side ({@code rtcp_avpf2avp_filter}; 10.5 has no flag to keep them), and offers toward
 * SIP are {@code RTP/AVP}, since SIP phones refuse {@code RTP/AVPF} (baresip 1.0 answers such an
 * offer 488). The browser's PLIs at the start of the video therefore never arrive, and without an
 * INFO the browser shows nothing until the SIP peer's next periodic key frame (about 10 s with
 * baresip). Only a SIP side that speaks {@code RTP/AVPF} or {@code RTP/SAVPF} gets them.
 */
final class FeedbackGap {
  private FeedbackGap() {}

  /**
   * Whether the SIP side's description {@code sipSdp} (what it offered or answered, or what was
   * offered or answered to it) sends video that the browser must be able to ask key frames of: a
   * video m-line in use, sending from the SIP side, on a profile without RTCP feedback. False when
   * it does not parse.
   */
  static boolean videoWithoutFeedback(String sipSdp) {
    SessionDescription parsed;
    try {
      parsed = SessionDescription.parse(sipSdp);
    } catch (SdpParseException e) {
      return false;
    }
    for (MediaDescription m : parsed.media()) {
      if ("video".equals(m.media().media())
          && !m.isRejected()
          && !m.media().proto().endsWith("AVPF")
          && parsed.direction(m).sends()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code answer} (an answer to the SIP side's offer, as rtpengine wrote it for the SIP
   * side) keeps a video m-line in use that receives what the SIP side sends. False when it does not
   * parse.
   */
  static boolean videoAccepted(String answer) {
    SessionDescription parsed;
    try {
      parsed = SessionDescription.parse(answer);
    } catch (SdpParseException e) {
      return false;
    }
    for (MediaDescription m : parsed.media()) {
      if ("video".equals(m.media().media()) && !m.isRejected() && parsed.direction(m).receives()) {
        return true;
      }
    }
    return false;
  }
}

package dev.tandem.media.rtpengine;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.RtcpFb;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import java.util.Locale;
import java.util.Set;

/**
 * Takes the browser's WebRTC-only attributes out of an SDP that rtpengine wrote for the SIP side,
 * so that a SIP peer sees a plain-RTP offer the size of the embedded relay's (docs/sdp.md, "Toward
 * SIP"). rtpengine 10.5 passes them through: {@code flags=[strip-extmap]} removes {@code a=extmap}
 * and the {@code codec} flags ({@link NgFlags}) the codecs, but its {@code sdp-attr} manipulations
 * are not in 10.5 (tried: {@code remove} and {@code add} both leave the SDP as it was), so {@code
 * msid}, {@code ssrc}, {@code mid}, {@code rtcp-rsize} and the like are removed here. These lines
 * mean nothing to rtpengine's media handling once written: removing them changes only the text.
 *
 * <p>Of the RTCP feedback (RFC 4585) only what a SIP video phone can act on stays: {@code nack},
 * {@code nack pli} and {@code ccm fir} (RFC 5104); {@code goog-remb} and {@code transport-cc} need
 * the header extensions that {@code strip-extmap} removed, and no SIP peer speaks them.
 */
final class SipSdpTrim {
  private SipSdpTrim() {}

  /** Session-level attributes of WebRTC that a plain RTP peer has no use for. */
  static final Set<String> SESSION =
      Set.of("group", "extmap-allow-mixed", "msid-semantic", "ice-options", "ice-lite");

  /** Media-level attributes of WebRTC that a plain RTP peer has no use for. */
  static final Set<String> MEDIA =
      Set.of(
          "mid",
          "msid",
          "ssrc",
          "ssrc-group",
          "extmap",
          "extmap-allow-mixed",
          "rtcp-rsize",
          "rtcp-xr",
          "ice-options");

  /** The RTCP feedback ({@code a=rtcp-fb} type and parameters) kept toward SIP. */
  static final Set<String> FEEDBACK = Set.of("nack", "nack pli", "ccm fir");

  /**
   * {@code sdp} without the attributes of {@link #SESSION} and {@link #MEDIA}; unchanged when it
   * does not parse (rtpengine's SDP always does; the SIP side then sees what rtpengine wrote).
   */
  static String towardSip(String sdp) {
    SessionDescription parsed;
    try {
      parsed = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return sdp;
    }
    SessionDescription trimmed =
        parsed
            .withAttributes(
                parsed.attributes().stream().filter(a -> !SESSION.contains(a.name())).toList())
            .withMedia(
                parsed.media().stream().map(m -> m.without(SipSdpTrim::webRtcOnly)).toList());
    return trimmed.toString();
  }

  private static boolean webRtcOnly(Attribute attribute) {
    if (attribute.is(RtcpFb.NAME)) {
      try {
        RtcpFb feedback = RtcpFb.parse(attribute.value());
        String kind = feedback.type() + feedback.parameters().map(p -> " " + p).orElse("");
        return !FEEDBACK.contains(kind.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return true;
      }
    }
    return MEDIA.contains(attribute.name());
  }
}

package dev.tandem.media.rtpengine;

import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.translate.CodecPolicy;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.Sdes;
import java.util.List;
import java.util.Map;

/**
 * The one place that says how rtpengine rewrites an SDP, by the side it is going to
 * (shared/PEERS.md has the flags proven with Chromium, Firefox and SIPp).
 *
 * <ul>
 *   <li>To a SIP peer: {@code ICE=remove}, {@code transport-protocol=RTP/AVP}, {@code
 *       rtcp-mux=[demux]}: plain RTP with RTCP on its own port.
 *   <li>To a browser: {@code ICE=force}, {@code transport-protocol=UDP/TLS/RTP/SAVPF}, {@code
 *       rtcp-mux=[require]}, {@code flags=[generate-mid]}. Never {@code DTLS=passive}: rtpengine
 *       then writes {@code a=setup:passive} but sends a ClientHello itself, and the browser hangs
 *       in DTLS {@code connecting}. Left alone, rtpengine picks the role RFC 5763 asks for.
 *   <li>Toward a SIP peer whose policy offers SDES-SRTP: {@code transport-protocol=RTP/SAVP} and
 *       {@code SDES=[no-<suite>...]} for every suite but AES_CM_128_HMAC_SHA1_80, and {@code
 *       DTLS=off}; an answer toward SIP keeps the profile of the SIP side's offer ({@code RTP/SAVP}
 *       gets rtpengine's key under the offer's tag). Offers toward the browser carry {@code
 *       SDES=[off]}. All tried against rtpengine 10.5.
 *   <li>Offers to a SIP peer carry only the codecs that pass without transcoding ({@link
 *       CodecPolicy#towardPlain}, the embedded relay's list, and the video codecs of {@link
 *       #VIDEO_CODECS}): {@code codec={strip: [all], except: [PCMU/8000, ..., VP8/90000, ...]}},
 *       and {@code flags=[strip-extmap]}; without them rtpengine 10.5 passes the browser's opus,
 *       red, CN, telephone-event/48000, rtx, ulpfec, AV1 and {@code a=extmap} lines on. The WebRTC
 *       attributes no flag of 10.5 removes are taken out by {@link SipSdpTrim}.
 *   <li>Video needs no flag of its own: rtpengine 10.5 does not speak BUNDLE (RFC 8843), so it
 *       gives every m-line of a browser's bundled offer its own ports toward SIP (RTP and RTCP, as
 *       {@code rtcp-mux=[demux]} asks), drops {@code a=group:BUNDLE}, and answers the browser with
 *       one ICE transport per m-line and no group. A browser with the default {@code bundlePolicy}
 *       {@code balanced} (the SDK's) gathers for each m-line and accepts that; one with {@code
 *       max-bundle} refuses the answer. rtpengine relays RTCP feedback (PLI, FIR, NACK) between the
 *       sides as it is.
 *   <li>Offers to a SIP peer may name the address family ({@code address family=IP6}); rtpengine
 *       then takes its address of that family (it needs an interface of each, e.g. {@code
 *       --interface=127.0.0.1 --interface=::1}). Toward a browser it offers an ICE candidate per
 *       family by itself, and it answers a SIP peer on that peer's family.
 * </ul>
 */
final class NgFlags {
  private NgFlags() {}

  /** The flags of an offer going {@code to} that side, with plain RTP toward SIP. */
  static Map<String, Object> offerToward(Side to, SipAddressFamily family) {
    return offerToward(to, family, MediaEncryption.PLAIN);
  }

  /**
   * rtpengine 10.5's SDES suites. It offers them all unless told {@code no-<suite>} ({@code
   * only-<suite>} is not understood by 10.5: tried, it still offered all twelve).
   */
  static final List<String> RTPENGINE_SUITES =
      List.of(
          "AEAD_AES_256_GCM",
          "AEAD_AES_128_GCM",
          "AES_256_CM_HMAC_SHA1_80",
          "AES_256_CM_HMAC_SHA1_32",
          "AES_192_CM_HMAC_SHA1_80",
          "AES_192_CM_HMAC_SHA1_32",
          "AES_CM_128_HMAC_SHA1_80",
          "AES_CM_128_HMAC_SHA1_32",
          "F8_128_HMAC_SHA1_80",
          "F8_128_HMAC_SHA1_32",
          "NULL_HMAC_SHA1_80",
          "NULL_HMAC_SHA1_32");

  /**
   * The flags of an offer going {@code to} that side. Toward SIP with {@code encryption} {@code
   * sdes-preferred} or {@code sdes-required}: {@code RTP/SAVP} with the bridge's SDES suites only
   * ({@link Sdes#OFFERED}; every other suite of rtpengine's as {@code SDES=[no-<suite>...]}).
   * Toward the browser {@code SDES=[off]}: an {@code RTP/SAVP} offer from SIP would otherwise give
   * the browser's offer crypto lines next to DTLS.
   */
  static Map<String, Object> offerToward(
      Side to, SipAddressFamily family, MediaEncryption encryption) {
    if (to != Side.SIP) {
      Map<String, Object> flags = new java.util.HashMap<>(toward(to));
      flags.put("SDES", List.of("off"));
      return flags;
    }
    Map<String, Object> flags = new java.util.HashMap<>(toward(to));
    flags.put("codec", Map.of("strip", List.of("all"), "except", PLAIN_CODECS));
    flags.put("flags", List.of("strip-extmap"));
    if (family != SipAddressFamily.AUTO) {
      flags.put("address family", family.name());
    }
    if (encryption.offersSrtp()) {
      flags.put("transport-protocol", "RTP/SAVP");
      // without it the SDES offer keeps the browser's a=setup and a=fingerprint (rtpengine 10.5)
      flags.put("DTLS", "off");
      List<String> ours = Sdes.OFFERED.stream().map(Enum::name).toList();
      flags.put(
          "SDES",
          RTPENGINE_SUITES.stream().filter(s -> !ours.contains(s)).map(s -> "no-" + s).toList());
    }
    return flags;
  }

  /**
   * The video codecs that cross toward SIP without transcoding: what browsers and SIP video phones
   * share (every H.264 profile and packetization mode the browser offers stays; the SIP peer
   * answers the one it has, RFC 6184 §8.2.2). Retransmission ({@code rtx}), {@code red} and {@code
   * ulpfec} do not cross: a SIP peer without them would see their payload types as unknown.
   */
  static final List<Codec> VIDEO_CODECS = List.of(Codec.VP8, Codec.VP9, Codec.H264);

  /** The codecs an offer toward SIP keeps, as rtpengine names them ({@code PCMU/8000}). */
  static final List<String> PLAIN_CODECS =
      java.util.stream.Stream.concat(
              CodecPolicy.towardPlain(false).codecs().stream(), VIDEO_CODECS.stream())
          .map(NgFlags::ngName)
          .toList();

  private static String ngName(Codec codec) {
    return codec.name()
        + "/"
        + codec.clockRate()
        + (codec.channels() == 1 ? "" : "/" + codec.channels());
  }

  static Map<String, Object> toward(Side to) {
    return switch (to) {
      case SIP ->
          Map.of("ICE", "remove", "transport-protocol", "RTP/AVP", "rtcp-mux", List.of("demux"));
      case BROWSER ->
          Map.of(
              "ICE",
              "force",
              "transport-protocol",
              "UDP/TLS/RTP/SAVPF",
              "rtcp-mux",
              List.of("require"),
              "flags",
              List.of("generate-mid"));
    };
  }

  static Side other(Side side) {
    return side == Side.BROWSER ? Side.SIP : Side.BROWSER;
  }
}

package dev.tandem.media.rtpengine;

import dev.tandem.core.media.MediaBackend.Side;
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
 * </ul>
 */
final class NgFlags {
  private NgFlags() {}

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

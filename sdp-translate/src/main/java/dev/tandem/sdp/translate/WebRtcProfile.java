package dev.tandem.sdp.translate;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.List;

/**
 * Whether an SDP from SIP is already in the WebRTC form (JSEP, RFC 8829): every media line it
 * offers is {@code UDP/TLS/RTP/SAVPF} with ICE credentials and a DTLS fingerprint (on the line or
 * the session). Such an SDP comes from another Tandem node or a WebRTC-capable SIP server; a
 * browser can take it as it is, so the bridge passes it end to end instead of relaying it.
 */
public final class WebRtcProfile {
  static final String PROTO = "UDP/TLS/RTP/SAVPF";

  private WebRtcProfile() {}

  public static boolean of(SessionDescription sdp) {
    List<MediaDescription> offered = sdp.media().stream().filter(m -> !m.isRejected()).toList();
    return !offered.isEmpty()
        && offered.stream()
            .allMatch(
                m ->
                    PROTO.equalsIgnoreCase(m.media().proto())
                        && sdp.mediaOrSession(m, "ice-ufrag").isPresent()
                        && sdp.mediaOrSession(m, "ice-pwd").isPresent()
                        && sdp.mediaOrSession(m, "fingerprint").isPresent());
  }
}

package dev.tandem.media.rtpengine;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The m-lines of an offer that rtpengine must not carry, refused in place (port 0, RFC 3264 §6)
 * before rtpengine sees the offer: video when the SIP side's policy has none ({@code
 * SipMedia.video} false), and every m-line that is not RTP (a browser's data channel, {@code
 * UDP/DTLS/SCTP}), which rtpengine 10.5 would otherwise pass on to the SIP side with a port of its
 * own. rtpengine keeps a port-0 m-line at port 0 in what it writes, allocates nothing for it, and
 * the answer refuses it too: the call carries the rest, as with the embedded relay.
 */
final class RefusedMedia {
  private RefusedMedia() {}

  /**
   * {@code sdp} with the m-lines rtpengine must not carry at port 0; unchanged (the same string)
   * when there are none or it does not parse (rtpengine then says what it cannot read).
   */
  static String refuse(String sdp, boolean video) {
    SessionDescription parsed;
    try {
      parsed = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return sdp;
    }
    List<MediaDescription> media = new ArrayList<>(parsed.media());
    boolean changed = false;
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      if (!m.isRejected() && refused(m, video)) {
        media.set(i, m.withMedia(m.media().withPort(0)));
        changed = true;
      }
    }
    return changed ? parsed.withMedia(media).toString() : sdp;
  }

  private static boolean refused(MediaDescription m, boolean video) {
    return !m.media().proto().contains("RTP") || (!video && "video".equals(m.media().media()));
  }
}

package dev.tandem.sdp.translate;

import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Fmtp;
import java.util.Optional;

/**
 * The one rule for when two formats are the same codec, so that an answer's format is matched to
 * the offer's: the same encoding name, clock rate and channels (RFC 3264 §6.1), and for the video
 * codecs whose fmtp names different bitstreams, the same H.264 profile and packetization-mode (RFC
 * 6184 §8.1; each pair is a different codec, the level may differ) and the same VP9 {@code
 * profile-id} (RFC 9628 §6; absent means 0). An unreadable H.264 fmtp matches nothing.
 */
final class FormatIdentity {
  private FormatIdentity() {}

  static boolean same(Codec a, Optional<Fmtp> fmtpA, Codec b, Optional<Fmtp> fmtpB) {
    if (!a.sameAs(b)) {
      return false;
    }
    if (a.sameAs(Codec.H264)) {
      try {
        return H264ProfileLevelId.of(fmtpA).sameCodec(H264ProfileLevelId.of(fmtpB));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (a.sameAs(Codec.VP9)) {
      return vp9Profile(fmtpA).equals(vp9Profile(fmtpB));
    }
    return true;
  }

  private static String vp9Profile(Optional<Fmtp> fmtp) {
    return fmtp.flatMap(f -> f.parameter("profile-id")).orElse("0");
  }
}

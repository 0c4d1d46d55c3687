package dev.tandem.sdp.translate;

import dev.tandem.sdp.Codec;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one place that says which codecs cross the bridge. The bridge relays media without
 * transcoding, so only codecs that both worlds speak pass: toward SIP, PCMU, PCMA and G722 (opus
 * only when configured, since few SIP endpoints have it), toward browsers what every browser
 * decodes (opus, PCMU, PCMA, G722); telephone-event (RFC 4733) at 8000 Hz both ways for DTMF.
 * Video, both ways: VP8, VP9 and H.264, which browsers and SIP video phones share; rtx, red, ulpfec
 * and flexfec never cross, since the relay repairs nothing and forwards one stream per SSRC.
 */
public record CodecPolicy(List<Codec> codecs) implements Predicate<Codec> {

  public CodecPolicy {
    codecs = List.copyOf(codecs);
  }

  /** What may go to a plain RTP (SIP) endpoint. */
  public static CodecPolicy towardPlain(boolean opus) {
    return opus
        ? new CodecPolicy(
            List.of(Codec.OPUS, Codec.PCMU, Codec.PCMA, Codec.G722, Codec.TELEPHONE_EVENT))
        : new CodecPolicy(List.of(Codec.PCMU, Codec.PCMA, Codec.G722, Codec.TELEPHONE_EVENT));
  }

  /** What may go to a browser (WebRTC audio, RFC 7874 §3 plus G722 that all browsers have). */
  public static CodecPolicy towardBrowser() {
    return new CodecPolicy(
        List.of(Codec.OPUS, Codec.PCMU, Codec.PCMA, Codec.G722, Codec.TELEPHONE_EVENT));
  }

  /** What video may cross, either way (RFC 7742 §5: browsers have VP8 and H.264). */
  public static CodecPolicy video() {
    return new CodecPolicy(List.of(Codec.VP8, Codec.VP9, Codec.H264));
  }

  @Override
  public boolean test(Codec codec) {
    for (Codec c : codecs) {
      if (c.sameAs(codec)) {
        return true;
      }
    }
    return false;
  }
}

package dev.tandem.sdp.translate;

import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Fmtp;
import dev.tandem.sdp.MediaDescription;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which video formats of a section cross the bridge ({@link CodecPolicy#video()}, with a readable
 * fmtp), how an answer's are matched to an offer's ({@link FormatIdentity}), and how a SIP side's
 * video is numbered for a browser's BUNDLE group.
 */
final class VideoCodecs {
  private static final CodecPolicy POLICY = CodecPolicy.video();

  private VideoCodecs() {}

  /** The codecs of a SIP answer's video that were offered and may cross, in the answer's order. */
  static List<OfferAnswer.CodecMatch> matches(MediaDescription offer, MediaDescription answer) {
    return OfferAnswer.matchCodecs(offer, answer).stream()
        .filter(c -> POLICY.test(c.codec()))
        .toList();
  }

  /**
   * The video codecs of {@code m} that may cross, in its order: those of the policy whose fmtp
   * {@link FormatIdentity} can read (an H.264 format with a broken profile-level-id is not offered,
   * since no answer could be matched to it).
   */
  static List<Integer> payloadTypes(MediaDescription m) {
    Map<Integer, Codec> codecs = m.codecs();
    Map<String, Fmtp> fmtps = m.fmtpsByFormat();
    return OfferAnswer.acceptedPayloadTypes(m, POLICY).stream()
        .filter(
            pt ->
                FormatIdentity.readable(
                    codecs.get(pt), Optional.ofNullable(fmtps.get(pt.toString()))))
        .toList();
  }

  /**
   * The browser's numbers for the video codecs of a SIP offer that may cross (SIP payload type →
   * browser payload type, in the SIP offer's order): the SIP side's own, except where the audio the
   * browser is offered already uses the number; those get the lowest free dynamic numbers (RFC 3551
   * §3: 96-127). Empty when no codec crosses or no number is free.
   */
  static Map<Integer, Integer> browserNumbers(
      MediaDescription sipAudio, MediaDescription sipVideo) {
    List<Integer> kept = payloadTypes(sipVideo);
    Set<Integer> taken =
        new HashSet<>(OfferAnswer.acceptedPayloadTypes(sipAudio, CodecPolicy.towardBrowser()));
    Set<Integer> clashing = new HashSet<>();
    for (int pt : kept) {
      if (!taken.add(pt)) {
        clashing.add(pt);
      }
    }
    Map<Integer, Integer> out = new LinkedHashMap<>();
    int free = 96;
    for (int pt : kept) {
      if (!clashing.contains(pt)) {
        out.put(pt, pt);
        continue;
      }
      while (free <= 127 && taken.contains(free)) {
        free++;
      }
      if (free > 127) {
        return Map.of();
      }
      taken.add(free);
      out.put(pt, free);
    }
    return out;
  }
}

package dev.tandem.sdp.translate;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.RtcpFb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that says which RTCP feedback (RFC 4585 {@code a=rtcp-fb}) a video section
 * announces on each side.
 *
 * <p>Toward SIP only what a SIP video phone and the relay can act on crosses: {@code nack}, {@code
 * nack pli} and {@code ccm fir} (RFC 5104), each only where the other side wrote it. {@code
 * transport-cc} and {@code goog-remb} are dropped: they need header extensions and a congestion
 * controller the relay does not have.
 *
 * <p>Toward a browser {@code nack pli} and {@code ccm fir} are always announced, so the browser
 * asks for key frames and answers them; where the SIP side has no such feedback the relay turns a
 * browser's PLI/FIR into a SIP INFO {@code picture_fast_update} (RFC 5168) and an INFO from the SIP
 * side into a PLI. {@code nack} is announced only where the SIP side has it, since the relay keeps
 * no packets to retransmit.
 */
final class RtcpFeedback {
  private RtcpFeedback() {}

  static final RtcpFb.Kind NACK = new RtcpFb.Kind("nack", Optional.empty());
  static final RtcpFb.Kind PLI = new RtcpFb.Kind("nack", Optional.of("pli"));
  static final RtcpFb.Kind FIR = new RtcpFb.Kind("ccm", Optional.of("fir"));
  private static final List<RtcpFb.Kind> CROSSING = List.of(NACK, PLI, FIR);

  /**
   * The feedback lines of {@code source} that may go to SIP, for the payload types of {@code
   * number} (source payload type → this side's number) and for {@code *}, renumbered.
   */
  static List<Attribute> towardPlain(MediaDescription source, Map<Integer, Integer> number) {
    List<Attribute> out = new ArrayList<>();
    for (RtcpFb fb : source.rtcpFbs()) {
      if (!CROSSING.contains(fb.kind())) {
        continue;
      }
      if (fb.format().equals("*")) {
        out.add(fb.toAttribute());
      } else {
        Integer to = number.get(Integer.parseInt(fb.format()));
        if (to != null) {
          out.add(fb.withFormat(to.toString()).toAttribute());
        }
      }
    }
    return out.stream().distinct().toList();
  }

  /**
   * The feedback lines a browser gets for each of {@code number}'s payload types (SIP side payload
   * type → browser number): {@code nack} where {@code sipSide} has it for that type or {@code *},
   * then {@code nack pli} and {@code ccm fir}.
   */
  static List<Attribute> towardBrowser(MediaDescription sipSide, Map<Integer, Integer> number) {
    List<RtcpFb> theirs = sipSide.rtcpFbs();
    List<Attribute> out = new ArrayList<>();
    number.forEach(
        (sip, browser) -> {
          String format = browser.toString();
          boolean nack =
              theirs.stream()
                  .anyMatch(
                      fb ->
                          fb.kind().equals(NACK)
                              && (fb.format().equals("*") || fb.format().equals(sip.toString())));
          if (nack) {
            out.add(NACK.at(format).toAttribute());
          }
          out.add(PLI.at(format).toAttribute());
          out.add(FIR.at(format).toAttribute());
        });
    return out;
  }
}

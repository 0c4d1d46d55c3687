package dev.tandem.sdp.translate;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.RtcpFb;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

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
public final class RtcpFeedback {
  private RtcpFeedback() {}

  static final RtcpFb.Kind NACK = new RtcpFb.Kind("nack", Optional.empty());
  static final RtcpFb.Kind PLI = new RtcpFb.Kind("nack", Optional.of("pli"));
  static final RtcpFb.Kind FIR = new RtcpFb.Kind("ccm", Optional.of("fir"));
  private static final List<RtcpFb.Kind> CROSSING = List.of(NACK, PLI, FIR);

  /**
   * Whether {@code feedback} may go to a SIP peer: {@code nack}, {@code nack pli} and {@code ccm
   * fir}, in any case (RFC 5234 strings), what a SIP video phone can act on (the rtpengine
   * backend's trim uses the same rule).
   */
  public static boolean crossesToSip(RtcpFb feedback) {
    RtcpFb.Kind kind = feedback.kind();
    return CROSSING.stream()
        .anyMatch(
            k ->
                k.type().equalsIgnoreCase(kind.type())
                    && k.parameters()
                        .equals(kind.parameters().map(p -> p.toLowerCase(Locale.ROOT))));
  }

  /**
   * Whether the SIP side's carried video asks for and answers key frames in RTCP ({@code nack pli}
   * or {@code ccm fir} for any of its formats or {@code *}). When it does not, the relay turns a
   * browser's PLI/FIR into a SIP INFO {@code picture_fast_update} (RFC 5168) instead.
   *
   * @param sipSide the SIP side's offer or answer
   */
  public static boolean keyFrameRequests(SessionDescription sipSide) {
    OptionalInt video = OfferAnswer.carriedVideo(sipSide);
    if (video.isEmpty()) {
      return false;
    }
    return sipSide.media().get(video.getAsInt()).rtcpFbs().stream()
        .anyMatch(fb -> fb.kind().equals(PLI) || fb.kind().equals(FIR));
  }

  /**
   * The feedback lines of {@code source} that may go to SIP, for the payload types of {@code
   * number} (source payload type → this side's number) and for {@code *}, renumbered; written once
   * under {@code *} when every format has the same.
   */
  static List<Attribute> towardPlain(MediaDescription source, Map<Integer, Integer> number) {
    Set<RtcpFb.Kind> everyFormat = new LinkedHashSet<>();
    Map<Integer, Set<RtcpFb.Kind>> perFormat = new LinkedHashMap<>();
    number.values().forEach(pt -> perFormat.put(pt, new LinkedHashSet<>()));
    for (RtcpFb fb : source.rtcpFbs()) {
      if (!crossesToSip(fb)) {
        continue;
      }
      if (fb.format().equals("*")) {
        everyFormat.add(fb.kind());
      } else {
        Integer to = number.get(Integer.parseInt(fb.format()));
        if (to != null) {
          perFormat.get(to).add(fb.kind());
        }
      }
    }
    // the same feedback for every format is written once, under "*" (RFC 4585 §4.2), as baresip
    // and linphone write it: a browser's offer repeats it per format, which would make an INVITE
    // of many video formats outgrow a UDP datagram (RFC 3261 §18.1.1)
    if (perFormat.size() > 1 && new HashSet<>(perFormat.values()).size() == 1) {
      everyFormat.addAll(perFormat.values().iterator().next());
      perFormat.clear();
    }
    List<Attribute> out = new ArrayList<>();
    everyFormat.forEach(k -> out.add(k.at("*").toAttribute()));
    perFormat.forEach(
        (pt, kinds) ->
            kinds.stream()
                .filter(k -> !everyFormat.contains(k))
                .forEach(k -> out.add(k.at(pt.toString()).toAttribute())));
    return out;
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

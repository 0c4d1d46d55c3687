package dev.tandem.sdp.translate;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which m-lines of a description carry the call's audio and video, beyond {@link
 * OfferAnswer#carriedAudio} and {@link OfferAnswer#carriedVideo}: the answer's audio (refused or
 * not), the browser's video the relay can take (bundled with the audio) and the SIP side's (plain
 * RTP, not SDES).
 */
final class CarriedStreams {
  private CarriedStreams() {}

  /**
   * The audio of an answer to a translated offer: its carried audio, else (the answerer refused it)
   * its first audio m-line, which refuses the call's every stream.
   */
  static MediaDescription answeredAudio(SessionDescription answer) throws SdpTranslationException {
    OptionalInt carried = OfferAnswer.carriedAudio(answer);
    if (carried.isPresent()) {
      return answer.media().get(carried.getAsInt());
    }
    return answer.media().stream()
        .filter(m -> m.media().media().equals("audio"))
        .findFirst()
        .orElseThrow(
            () ->
                new SdpTranslationException(
                    "the answer has no audio m-line, but audio was offered (m-lines: "
                        + SdpTranslator.mLines(answer)
                        + ")"));
  }

  static Optional<MediaDescription> video(SessionDescription sdp) {
    OptionalInt i = OfferAnswer.carriedVideo(sdp);
    return i.isPresent() ? Optional.of(sdp.media().get(i.getAsInt())) : Optional.empty();
  }

  /**
   * The browser's video the bridge can carry: the carried video, when it is in the same BUNDLE
   * group as the carried audio (the relay has one WebRTC port).
   */
  static OptionalInt browserVideo(SessionDescription webRtc) {
    OptionalInt v = OfferAnswer.carriedVideo(webRtc);
    OptionalInt a = OfferAnswer.carriedAudio(webRtc);
    if (v.isEmpty() || a.isEmpty()) {
      return OptionalInt.empty();
    }
    Optional<String> videoMid = webRtc.media().get(v.getAsInt()).mid();
    Optional<String> audioMid = webRtc.media().get(a.getAsInt()).mid();
    boolean bundled =
        videoMid.isPresent()
            && audioMid.isPresent()
            && webRtc
                .bundle()
                .map(g -> g.mids())
                .orElse(List.of())
                .containsAll(List.of(videoMid.get(), audioMid.get()));
    return bundled ? v : OptionalInt.empty();
  }

  /**
   * The SIP side's video the bridge can carry: the carried video over plain {@code RTP/AVP} or
   * {@code RTP/AVPF}; video over SDES-SRTP ({@code RTP/SAVP(F)}) is refused, since the relay keeps
   * one SRTP context per call.
   */
  static OptionalInt sipVideo(SessionDescription plain) {
    OptionalInt v = OfferAnswer.carriedVideo(plain);
    if (v.isEmpty()) {
      return v;
    }
    String proto = plain.media().get(v.getAsInt()).media().proto();
    return proto.equalsIgnoreCase(SdpTranslator.PLAIN_PROTO)
            || proto.equalsIgnoreCase(SdpTranslator.PLAIN_FEEDBACK_PROTO)
        ? v
        : OptionalInt.empty();
  }
}

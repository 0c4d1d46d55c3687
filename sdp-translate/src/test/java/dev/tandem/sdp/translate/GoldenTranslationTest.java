package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.Captures;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Golden translations (rtpengine's {@code t/} style): each case is a real input capture, the relay
 * parameters below and the expected output in {@code src/test/resources/translate/<case>.out.sdp}.
 * After a deliberate change, regenerate with {@code -Dgolden.write=true} and read every diff.
 */
class GoldenTranslationTest {

  static final PlainEndpoint PLAIN = PlainEndpoint.of("203.0.113.10", 30000);
  static final PlainMedia PLAIN_AV =
      new PlainMedia(PLAIN, Optional.of(PlainEndpoint.of("203.0.113.10", 30002)));
  static final WebRtcEndpoint WEBRTC =
      new WebRtcEndpoint(
          "203.0.113.10",
          40000,
          "Tnd1",
          "TandemRelayPassword0123",
          Fingerprint.of("sha-256", new byte[32]),
          Setup.ACTIVE);

  /** A case: name, the function, the input capture and (for answers) the offer capture. */
  record Case(String name, String function, String input, String offer) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case(
              "chrome-audio.to-plain-offer", "toPlainOffer", "chrome-offer-audio-only.sdp", null),
          new Case(
              "chrome-av-data.to-plain-offer",
              "toPlainOffer",
              "chrome-offer-audio-video-datachannel.sdp",
              null),
          new Case(
              "firefox-audio.to-plain-offer", "toPlainOffer", "firefox-offer-audio-only.sdp", null),
          new Case(
              "sipp-answer.to-webrtc-answer",
              "toWebRtcAnswer",
              "e2e-rtpengine-3-sipp-answer.sdp",
              "e2e-rtpengine-1-chrome-offer.sdp"),
          new Case(
              "sipp-answer-av-data.to-webrtc-answer",
              "toWebRtcAnswer",
              "sipp-uas-answer.sdp",
              "chrome-offer-audio-video-datachannel.sdp"),
          new Case(
              "baresip-answer-firefox.to-webrtc-answer",
              "toWebRtcAnswer",
              "baresip-answer-to-sipp.sdp",
              "firefox-offer-audio-only.sdp"),
          new Case(
              "baresip-offer.to-webrtc-offer", "toWebRtcOffer", "baresip-offer-to-sipp.sdp", null),
          new Case(
              "linphone-offer.to-webrtc-offer", "toWebRtcOffer", "linphone-offer-to-sip.sdp", null),
          new Case("sipp-offer.to-webrtc-offer", "toWebRtcOffer", "sipp-uac-offer.sdp", null),
          new Case(
              "chrome-answer.to-plain-answer",
              "toPlainAnswer",
              "chrome-answer-to-tandem-offer.sdp",
              "baresip-offer-to-sipp.sdp"),
          new Case(
              "firefox-answer.to-plain-answer",
              "toPlainAnswer",
              "firefox-answer-to-tandem-offer.sdp",
              "baresip-offer-to-sipp.sdp"),
          // video (issue 19): the functions with "Av" get a video port / video=true
          new Case(
              "chrome-av.to-plain-offer", "toPlainOfferAv", "chrome-offer-audio-video.sdp", null),
          new Case(
              "firefox-av.to-plain-offer", "toPlainOfferAv", "firefox-offer-audio-video.sdp", null),
          new Case(
              "chrome-av-data.video-port.to-plain-offer",
              "toPlainOfferAv",
              "chrome-offer-audio-video-datachannel.sdp",
              null),
          new Case(
              "baresip-av-answer.to-webrtc-answer",
              "toWebRtcAnswer",
              "baresip-answer-audio-video-vp8.sdp",
              "chrome-offer-audio-video.sdp"),
          new Case(
              "baresip-av-answer-firefox.to-webrtc-answer",
              "toWebRtcAnswer",
              "baresip-answer-audio-video-vp8.sdp",
              "firefox-offer-audio-video.sdp"),
          new Case(
              "baresip-video-refused.to-webrtc-answer",
              "toWebRtcAnswer",
              "baresip-answer-to-h264-only-video.sdp",
              "chrome-offer-audio-video.sdp"),
          new Case(
              "baresip-av-offer.to-webrtc-offer",
              "toWebRtcOfferAv",
              "baresip-offer-audio-video-vp8.sdp",
              null),
          new Case(
              "baresip-av-offer.video-off.to-webrtc-offer",
              "toWebRtcOffer",
              "baresip-offer-audio-video-vp8.sdp",
              null),
          new Case(
              "chrome-av-answer.to-plain-answer",
              "toPlainAnswerAv",
              "chrome-answer-to-tandem-av-offer.sdp",
              "baresip-offer-audio-video-vp8.sdp"),
          new Case(
              "firefox-av-answer.to-plain-answer",
              "toPlainAnswerAv",
              "firefox-answer-to-tandem-av-offer.sdp",
              "baresip-offer-audio-video-vp8.sdp"));

  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());

  private Translation translate(Case c) throws SdpTranslationException {
    SessionDescription in = Captures.parse(c.input());
    return switch (c.function()) {
      case "toPlainOffer" -> translator.toPlainOffer(in, PLAIN);
      case "toWebRtcOffer" -> translator.toWebRtcOffer(in, WEBRTC);
      case "toWebRtcAnswer" -> translator.toWebRtcAnswer(in, Captures.parse(c.offer()), WEBRTC);
      case "toPlainAnswer" -> translator.toPlainAnswer(in, Captures.parse(c.offer()), PLAIN);
      case "toPlainOfferAv" -> translator.toPlainOffer(in, PLAIN_AV, List.of());
      case "toWebRtcOfferAv" -> translator.toWebRtcOffer(in, WEBRTC, true);
      case "toPlainAnswerAv" ->
          translator.toPlainAnswer(in, Captures.parse(c.offer()), PLAIN_AV, Optional.empty());
      default -> throw new IllegalArgumentException(c.function());
    };
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("CASES")
  void translatesAsTheGoldenFileSays(Case c) throws Exception {
    Translation t = translate(c);
    String actual =
        t.sdp()
            + "# payload types browser=SIP: "
            + t.payloadTypes()
            + "\n"
            + (t.carriesVideo() ? "# video payload types browser=SIP: " + t.video() + "\n" : "");
    if (Boolean.getBoolean("golden.write")) {
      Files.writeString(Path.of("src/test/resources/translate", c.name() + ".out.sdp"), actual);
    }
    assertThat(actual).isEqualTo(golden(c.name()));
    // what the translator writes, it can read back
    assertThat(SessionDescription.parse(t.sdp().toString())).isEqualTo(t.sdp());
  }

  private static String golden(String name) throws IOException {
    try (InputStream in =
        GoldenTranslationTest.class.getResourceAsStream("/translate/" + name + ".out.sdp")) {
      if (in == null) {
        throw new AssertionError("no golden file translate/" + name + ".out.sdp");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

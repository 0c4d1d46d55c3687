package dev.tandem.sdp.translate;

import static dev.tandem.sdp.translate.GoldenTranslationTest.PLAIN_AV;
import static dev.tandem.sdp.translate.GoldenTranslationTest.WEBRTC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.Captures;
import dev.tandem.sdp.SessionDescription;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every capture through every translation, as offer, answer and previous description of every
 * other: whatever comes in, the translator either writes SDP it can read back or refuses with an
 * {@link SdpTranslationException}, never another exception.
 */
class EveryCaptureTranslationTest {
  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());

  private interface Step {
    Translation run() throws SdpTranslationException;
  }

  private static int check(Step step) throws Exception {
    Translation t;
    try {
      t = step.run();
    } catch (SdpTranslationException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return 0;
    }
    assertThat(SessionDescription.parse(t.sdp().toString())).isEqualTo(t.sdp());
    return 1;
  }

  @Test
  void translatesOrRefusesEveryPairOfCaptures() throws Exception {
    List<SessionDescription> all = Captures.ALL.stream().map(Captures::parse).toList();
    int translated = 0;
    for (SessionDescription a : all) {
      for (SessionDescription b : all) {
        Optional<SessionDescription> previous = Optional.of(b);
        translated += check(() -> translator.toPlainOffer(a, PLAIN_AV, List.of(), previous));
        translated += check(() -> translator.toWebRtcOffer(a, WEBRTC, true, previous));
        translated += check(() -> translator.toWebRtcAnswer(a, b, WEBRTC));
        translated += check(() -> translator.toPlainAnswer(a, b, PLAIN_AV, Optional.empty()));
      }
    }
    // most pairs make sense somewhere: the check is not vacuous
    assertThat(translated).isGreaterThan(all.size() * all.size());
  }
}

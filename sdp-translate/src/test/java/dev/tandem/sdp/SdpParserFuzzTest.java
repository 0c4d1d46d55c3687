package dev.tandem.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parser (Jazzer). In the normal build this replays the inputs under {@code
 * src/test/resources/dev/tandem/sdp/SdpParserFuzzTestInputs/} (real captures and past finds); with
 * {@code JAZZER_FUZZ=1} it searches for new ones. Whatever comes in, the only failure allowed is
 * {@link SdpParseException}, and what parses must serialize to text that parses to the same
 * description.
 */
class SdpParserFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void parsesOrRefusesWithTheTypedError(byte[] input) throws Exception {
    String text = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
    SessionDescription sdp;
    try {
      sdp = SessionDescription.parse(text);
    } catch (SdpParseException e) {
      assertThat(e.line()).isPositive();
      return;
    }
    assertThat(SessionDescription.parse(sdp.toString())).isEqualTo(sdp);
  }
}

package dev.tandem.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the parser (Jazzer). In the normal build this replays the inputs under {@code
 * src/test/resources/dev/tandem/sdp/SdpParserFuzzTestInputs/} (real captures and past finds); with
 * {@code JAZZER_FUZZ=1} it searches for new ones. Whatever comes in, the only failure allowed is
 * {@link SdpParseException}, and what parses must serialize to text that parses to the same
 * description; its crypto lines give an SDES key or an {@link IllegalArgumentException} that names
 * the line.
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
    for (MediaDescription m : sdp.media()) {
      for (Crypto c : m.cryptos()) {
        try {
          SdesKey key = SdesKey.of(c);
          assertThat(SdesKey.of(key.toCrypto()).sameKey(key)).isTrue();
        } catch (IllegalArgumentException e) {
          assertThat(e.getMessage()).startsWith("a=crypto:" + c.tag() + " ");
        }
      }
    }
  }
}

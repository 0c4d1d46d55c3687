package dev.tandem.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpRoundTripTest {

  static final java.util.List<String> CAPTURES = Captures.ALL;

  /** The capture as the serializer writes it: CRLF after every line, no trailing blank lines. */
  private static String canonical(String text) {
    String body =
        Arrays.stream(text.split("\r?\n", -1))
            .collect(Collectors.joining("\r\n"))
            .replaceAll("(\r\n)+$", "");
    return body + "\r\n";
  }

  @ParameterizedTest
  @FieldSource("CAPTURES")
  void serializingWhatWasParsedGivesBackTheSameText(String name) throws SdpParseException {
    String text = Captures.text(name);
    assertThat(SessionDescription.parse(text).toString()).isEqualTo(canonical(text));
  }

  @ParameterizedTest
  @FieldSource("CAPTURES")
  void readsTheSameWithLfLineEndings(String name) throws SdpParseException {
    String text = Captures.text(name);
    assertThat(SessionDescription.parse(text.replace("\r\n", "\n")))
        .isEqualTo(SessionDescription.parse(text));
  }
}

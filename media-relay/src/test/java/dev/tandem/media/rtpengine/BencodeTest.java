package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeTest {

  private static String encode(Object value) {
    return new String(Bencode.encode(value), StandardCharsets.UTF_8);
  }

  private static Object decode(String text) throws BencodeException {
    return Bencode.decode(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodesTheFourTypes() {
    assertThat(encode("spam")).isEqualTo("4:spam");
    assertThat(encode(42L)).isEqualTo("i42e");
    assertThat(encode(-3)).isEqualTo("i-3e");
    assertThat(encode(List.of("a", 1L))).isEqualTo("l1:ai1ee");
  }

  @Test
  void sortsDictionaryKeys() {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("command", "ping");
    command.put("call-id", "x");
    assertThat(encode(command)).isEqualTo("d7:call-id1:x7:command4:pinge");
  }

  @Test
  void countsStringLengthInBytesNotCharacters() {
    assertThat(encode("é")).isEqualTo("2:é");
  }

  @Test
  void decodesWhatItEncodes() throws Exception {
    Map<String, Object> value =
        Map.of("result", "ok", "sdp", "v=0\r\n", "list", List.of("x", 7L), "n", 5L);
    assertThat(Bencode.decode(Bencode.encode(value))).isEqualTo(value);
  }

  @Test
  void decodesAnRtpengineAnswer() throws Exception {
    assertThat(decode("d6:result4:ponge")).isEqualTo(Map.of("result", "pong"));
  }

  @Test
  void refusesMalformedInputWithTheOffset() {
    assertThatThrownBy(() -> decode("d6:result"))
        .isInstanceOf(BencodeException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> decode("5:abc")).hasMessageContaining("runs past the end");
    assertThatThrownBy(() -> decode("i12")).hasMessageContaining("truncated number");
    assertThatThrownBy(() -> decode("di1ei2ee")).hasMessageContaining("key is not a string");
    assertThatThrownBy(() -> decode("x")).hasMessageContaining("unexpected byte");
    assertThatThrownBy(() -> decode("i1ei2e")).hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> decode("l".repeat(100))).hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> decode("99999999999999999999:a")).hasMessageContaining("bad number");
  }
}

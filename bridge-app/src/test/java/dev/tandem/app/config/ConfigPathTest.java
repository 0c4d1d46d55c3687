package dev.tandem.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigPathTest {

  @Test
  void parsesBracketAndDotIndexes() {
    assertThat(ConfigPath.parse("sip.listen[0].port"))
        .contains(List.of("sip", "listen", 0, "port"));
    assertThat(ConfigPath.parse("sip.listen.0.port")).contains(List.of("sip", "listen", 0, "port"));
  }

  @Test
  void refusesMalformedPaths() {
    assertThat(ConfigPath.parse("")).isEmpty();
    assertThat(ConfigPath.parse("sip..port")).isEmpty();
    assertThat(ConfigPath.parse("sip.listen[x]")).isEmpty();
    assertThat(ConfigPath.parse("sip.listen[0")).isEmpty();
    assertThat(ConfigPath.parse("[0].port")).isEmpty();
  }

  @Test
  void resolvesMultiWordKeysFromEnvironmentNames() {
    assertThat(ConfigPath.fromEnvironment("TANDEM_SIP_MAX_MESSAGE_SIZE", TandemConfig.class))
        .contains(List.of("sip", "max-message-size"));
    assertThat(ConfigPath.fromEnvironment("TANDEM_SIP_LISTEN_1_TRANSPORT", TandemConfig.class))
        .contains(List.of("sip", "listen", 1, "transport"));
    assertThat(ConfigPath.fromEnvironment("TANDEM_HTTP_IDLE_TIMEOUT", TandemConfig.class))
        .contains(List.of("http", "idle-timeout"));
  }

  @Test
  void environmentNameMustEndOnAValue() {
    assertThat(ConfigPath.fromEnvironment("TANDEM_SIP", TandemConfig.class)).isEmpty();
    assertThat(ConfigPath.fromEnvironment("TANDEM_SIP_LISTEN_0", TandemConfig.class)).isEmpty();
    assertThat(ConfigPath.fromEnvironment("TANDEM_HTTP_PORT_X", TandemConfig.class)).isEmpty();
  }

  @Test
  void formatsPaths() {
    assertThat(ConfigPath.format(List.of("sip", "listen", 1, "port")))
        .isEqualTo("sip.listen[1].port");
  }
}

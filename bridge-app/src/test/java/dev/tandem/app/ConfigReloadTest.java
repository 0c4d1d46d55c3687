package dev.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.app.admin.AdminViews;
import dev.tandem.app.config.ConfigDiff;
import dev.tandem.app.config.ConfigLoader;
import dev.tandem.app.config.TandemConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
  @TempDir Path dir;

  private static final String BASE =
      """
      auth:
        users:
          alice: {password: alice-password-1}
      routing:
        destinations:
          pbx: {host: 127.0.0.1, port: 5070}
        dial-plan:
          - {name: ext, pattern: '1[0-9]{3}', destination: pbx}
        permissions:
          everyone: [ext]
      """;

  private final List<ConfigDiff> applied = new ArrayList<>();

  private ConfigReload reload(Path file) throws Exception {
    ConfigLoader loader = new ConfigLoader(Map.of());
    TandemConfig running = loader.load(Optional.of(file), List.of());
    return new ConfigReload(running, () -> loader.load(Optional.of(file), List.of()), applied::add);
  }

  private Path write(String text) throws Exception {
    Path file = dir.resolve("tandem.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void anUnchangedFileChangesNothing() throws Exception {
    ConfigReload reload = reload(write(BASE));
    AdminViews.ReloadView view = reload.reload();
    assertThat(view.outcome()).isEqualTo("unchanged");
    assertThat(view.changed()).isEmpty();
    assertThat(applied).isEmpty();
  }

  @Test
  void aNewDialPlanRuleAndUserAreAppliedAndAPortNeedsARestart() throws Exception {
    Path file = write(BASE);
    ConfigReload reload = reload(file);
    Files.writeString(
        file,
        BASE.replace("    everyone: [ext]", "    everyone: [ext, intl]")
                .replace(
                    "    - {name: ext, pattern: '1[0-9]{3}', destination: pbx}",
                    "    - {name: ext, pattern: '1[0-9]{3}', destination: pbx}\n"
                        + "    - {name: intl, pattern: '00[0-9]+', destination: pbx}")
                .replace(
                    "alice: {password: alice-password-1}",
                    "alice: {password: alice-password-1}\n    bob: {password: bob-password-2}")
            + "http: {port: 9090}\ncalls: {max-per-user: 2}\n");

    AdminViews.ReloadView view = reload.reload();

    assertThat(view.outcome()).as(view.errors().toString()).isEqualTo("applied");
    assertThat(view.changed())
        .contains(
            "routing.dial-plan",
            "routing.permissions.everyone",
            "auth.users",
            "calls.max-per-user");
    assertThat(view.needsRestart()).containsExactly("http.port");
    assertThat(applied).hasSize(1);
    TandemConfig next = applied.get(0).result();
    assertThat(next.routing().dialPlan()).hasSize(2);
    assertThat(next.auth().users()).containsKey("bob");
    assertThat(next.calls().maxPerUser()).isEqualTo(2);
    assertThat(next.http().port()).isEqualTo(8080);

    // the port still needs a restart; nothing else is new
    AdminViews.ReloadView again = reload.reload();
    assertThat(again.outcome()).isEqualTo("unchanged");
    assertThat(again.needsRestart()).containsExactly("http.port");
  }

  @Test
  void anInvalidFileIsRefusedWithItsErrorsAndNothingChanges() throws Exception {
    Path file = write(BASE);
    ConfigReload reload = reload(file);
    Files.writeString(
        file,
        BASE.replace("pattern: '1[0-9]{3}'", "pattern: '1[0-9'") + "sessions: {max-per-user: 0}\n");

    AdminViews.ReloadView view = reload.reload();

    assertThat(view.outcome()).isEqualTo("refused");
    assertThat(view.errors())
        .extracting(AdminViews.Problem::path)
        .contains("routing.dial-plan[0].pattern", "sessions.max-per-user");
    assertThat(applied).isEmpty();

    Files.writeString(file, BASE);
    assertThat(reload.reload().outcome()).isEqualTo("unchanged");
  }

  @Test
  void keepalivesAndTheThrottleAreNotLive() {
    assertThat(ConfigReload.isLive("routing.dial-plan")).isTrue();
    assertThat(ConfigReload.isLive("routing.keepalives")).isFalse();
    assertThat(ConfigReload.isLive("auth.users")).isTrue();
    assertThat(ConfigReload.isLive("auth.throttle.free-failures")).isFalse();
    assertThat(ConfigReload.isLive("upstream.accounts")).isTrue();
    assertThat(ConfigReload.isLive("registrar.accounts")).isTrue();
    assertThat(ConfigReload.isLive("registrar.realm")).isFalse();
    assertThat(ConfigReload.isLive("upstream.retry-interval")).isFalse();
    assertThat(ConfigReload.isLive("sip.listen")).isFalse();
    assertThat(ConfigReload.isLive("ws.messages-per-second")).isTrue();
    assertThat(ConfigReload.isLive("ws.max-message-size")).isFalse();
    assertThat(ConfigReload.isLive("ws.allowed-origins")).isFalse();
    assertThat(ConfigReload.isLive("admin.token")).isFalse();
  }

  @Test
  void videoSwitchesOfDestinationsAndPhonesAreAppliedLive() throws Exception {
    Path file = write(BASE);
    ConfigReload reload = reload(file);
    Files.writeString(
        file,
        BASE.replace(
                "pbx: {host: 127.0.0.1, port: 5070}",
                "pbx: {host: 127.0.0.1, port: 5070, video: false}")
            + "registrar:\n  video: false\n  accounts:\n    desk: {password: pw, video: true}\n");

    AdminViews.ReloadView view = reload.reload();

    assertThat(view.outcome()).as(view.errors().toString()).isEqualTo("applied");
    assertThat(view.changed())
        .contains("routing.destinations", "registrar.video", "registrar.accounts");
    assertThat(view.needsRestart()).isEmpty();
    TandemConfig next = applied.get(0).result();
    assertThat(next.routing().audioOnly()).containsExactly("pbx");
    assertThat(next.registrar().video()).isFalse();
    assertThat(next.registrar().videoByAccount()).containsExactly(Map.entry("desk", true));
  }
}

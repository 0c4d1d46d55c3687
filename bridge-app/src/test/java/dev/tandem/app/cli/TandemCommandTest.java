package dev.tandem.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TandemCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = TandemCommand.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void versionPrintsTheVersionAndJava() {
    assertThat(run(Map.of(), "version")).isZero();
    assertThat(out.toString()).startsWith("tandem ").contains("java " + Runtime.version());
  }

  @Test
  void configCheckAcceptsTheDocumentedDefaults() {
    assertThat(run(Map.of(), "config", "check", "../conf/tandem.yaml")).isZero();
    assertThat(out.toString()).isEqualTo("../conf/tandem.yaml: ok\n");
  }

  @Test
  void configCheckPrintsEveryProblemOnItsOwnLineAndFails() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, "sip:\n  listen:\n    - {port: 5060}\n    - {port: 99999}\n  threads: 0\n");
    assertThat(run(Map.of(), "config", "check", file.toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactlyInAnyOrder(
            "error: sip.listen[1].port: must be 1..65535, not 99999",
            "error: sip.threads: must be 1..256, not 0");
    assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void configCheckPrintsWarningsAndAccepts() throws IOException {
    Path file = dir.resolve("weak.yaml");
    Files.writeString(file, "ws:\n  allowed-origins: ['*']\n");
    assertThat(run(Map.of(), "config", "check", file.toString())).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "warning: ws.allowed-origins[0]: * lets any web page open the WebSocket from its"
                + " visitors' browsers; list your app's origins (https://app.example.com)",
            file + ": ok");
  }

  @Test
  void configCheckAndRunRefuseDevelopmentUsersReachableFromTheNetwork() throws IOException {
    Path file = dir.resolve("open.yaml");
    Files.writeString(
        file, "http: {host: 0.0.0.0}\nauth: {users: {alice: {password: alice-dev}}}\n");
    assertThat(run(Map.of(), "config", "check", file.toString())).isEqualTo(1);
    assertThat(run(Map.of(), "run", "--config", file.toString())).isEqualTo(1);
    String refusal =
        "error: auth.users: development users (alice) with HTTP on 0.0.0.0, not a loopback"
            + " address: anyone who reaches the port can sign in with their passwords; use"
            + " auth.jwt, or http.host: 127.0.0.1 (tandem run refuses this)";
    assertThat(err.toString().lines()).containsExactly(refusal, refusal);
  }

  @Test
  void configCheckOfAMissingFileIsOneLine() {
    assertThat(run(Map.of(), "config", "check", dir.resolve("none.yaml").toString())).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly("error: " + dir.resolve("none.yaml") + ": no such file");
  }

  @Test
  void debugAddsTheStackTrace() {
    assertThat(run(Map.of(), "--debug", "config", "check", dir.resolve("none.yaml").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("ConfigException").contains("\tat ");
  }

  @Test
  void configShowPrintsTheEffectiveConfiguration() {
    assertThat(run(Map.of("TANDEM_HTTP_PORT", "8181"), "config", "show", "--set", "sip.threads=3"))
        .isZero();
    assertThat(out.toString())
        .contains("port: 8181")
        .contains("threads: 3")
        .contains("transport: udp");
  }

  @Test
  void configShowReachesAStreamThatIsNotAutoFlushed() {
    // System.out behind picocli's writer: what `config show` prints must be out before exit
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    CommandLine cl = TandemCommand.commandLine(Map.of());
    cl.setOut(new PrintWriter(bytes, false));
    assertThat(TandemCommand.execute(cl, new String[] {"config", "show"})).isZero();
    assertThat(bytes.toString()).contains("listen:").contains("transport: udp");
  }

  @Test
  void runWithAPortInUseExitsWithOneLineNamingTheCause() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int code =
          run(
              Map.of(),
              "run",
              "--set",
              "http.port=" + busy.getLocalPort(),
              "--set",
              "sip.listen=[{transport: udp, port: 1}]");
      assertThat(code).isEqualTo(1);
      assertThat(err.toString().lines())
          .containsExactly(
              "error: cannot start http 127.0.0.1:"
                  + busy.getLocalPort()
                  + ": Address already in use");
    }
  }

  @Test
  void runWithABadConfigurationDoesNotStart() {
    assertThat(run(Map.of("TANDEM_HTTP_PORT", "http"), "run")).isEqualTo(1);
    assertThat(err.toString().lines())
        .containsExactly("error: http.port: must be a whole number, not 'http'");
  }
}

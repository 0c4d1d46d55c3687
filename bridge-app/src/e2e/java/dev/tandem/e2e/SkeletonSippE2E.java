package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The skeleton, proven with a real process and a real SIP peer: {@code tandem run} starts on free
 * ports, becomes ready, answers SIPp's OPTIONS over UDP and TCP, and stops cleanly on SIGTERM.
 */
@RealPeers("sipp")
class SkeletonSippE2E {
  @TempDir Path dir;

  @Test
  void answersProbesAndSippOptionsThenStopsCleanlyOnSigterm() throws Exception {
    try (TandemProcess tandem = TandemProcess.start(dir)) {
      tandem.awaitReady();
      assertThat(tandem.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(tandem.get("/readyz").body())
          .contains("\"status\":\"ready\"")
          .contains("\"sip udp 127.0.0.1:" + tandem.sipPort + "\":\"up\"")
          .contains("\"sip tcp 127.0.0.1:" + tandem.sipPort + "\":\"up\"");

      Sipp.Result udp = Sipp.uac(dir, "options.xml", tandem.sipPort, "u1", 3);
      assertThat(udp.exitCode()).as(udp.output()).isZero();
      Sipp.Result tcp = Sipp.uac(dir, "options.xml", tandem.sipPort, "t1", 3);
      assertThat(tcp.exitCode()).as(tcp.output()).isZero();

      assertThat(tandem.terminate(Duration.ofSeconds(20))).as(tandem.output()).isZero();
      assertThat(tandem.stdout()).contains("Tandem stopping").containsPattern("Tandem stopped cleanly in \\d+ ms");
      assertThat(tandem.stderr()).isEmpty();
    }
  }

  @Test
  void refusesMethodsItDoesNotHandleWith405() throws Exception {
    try (TandemProcess tandem = TandemProcess.start(dir)) {
      tandem.awaitReady();
      Sipp.Result result = Sipp.uac(dir, "unsupported-method.xml", tandem.sipPort, "u1", 1);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(tandem.terminate(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void exitsWithOneLineWhenTheSipPortIsInUse() throws Exception {
    int http = FreePorts.next();
    int sip = FreePorts.next();
    try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), sip));
        TandemProcess tandem =
            TandemProcess.launch(
                dir, http, sip, List.of("run", "--set", "http.port=" + http, "--set", "sip.listen[0].port=" + sip))) {
      assertThat(tandem.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      assertThat(tandem.stderr().lines())
          .containsExactly("error: cannot start sip udp 127.0.0.1:" + sip + ": Address already in use");
    }
  }

  @Test
  void exitsWithOneLinePerProblemForABadConfigurationFile() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "http:\n  port: [8080\n");
    try (TandemProcess tandem = TandemProcess.launch(dir, 0, 0, List.of("run", "--config", file.toString()))) {
      assertThat(tandem.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
      assertThat(tandem.stderr().lines()).singleElement().asString().startsWith("error: " + file + ": malformed YAML: line ");
      assertThat(tandem.stdout()).isEmpty();
    }
  }
}

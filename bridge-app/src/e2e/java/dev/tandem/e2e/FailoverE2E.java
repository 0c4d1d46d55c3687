package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destination groups against SIPp: a trunk that stops answering OPTIONS is marked down and skipped;
 * a trunk that answers 503 is failed over to the next one in the group.
 */
@RealPeers({"sipp", "chromium"})
class FailoverE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> trunks = new ArrayList<>();
  private final int portA = FreePorts.next();
  private final int portB = FreePorts.next();

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : trunks) {
        p.destroy();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private void startBridge(String keepaliveA) throws Exception {
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            trunk-a: { host: 127.0.0.1, port: %d %s }
            trunk-b: { host: 127.0.0.1, port: %d }
          groups:
            trunks: [trunk-a, trunk-b]
          dial-plan:
            - { name: outside, pattern: "9[0-9]+", destination: trunks }
          permissions:
            everyone: [outside]
        media:
          embedded:
            port-min: 43000
            port-max: 43199
        """
            .formatted(portA, keepaliveA, portB));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  private void callAndTalk() throws Exception {
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("9100");
      try {
        carol.awaitCallState("In call");
        carol.awaitAudioBothWays(null, 50);
        carol.hangUp();
        carol.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
  }

  @Test
  void aTrunkThatStopsAnsweringOptionsIsMarkedDownAndSkipped() throws Exception {
    trunks.add(Sipp.uas(dir, ns, portB, "uas-answer.xml", "-rtp_echo"));
    startBridge(", keepalive: 1s"); // nothing listens on trunk-a's port
    await("trunk-a marked down")
        .atMost(Duration.ofSeconds(10))
        .until(() -> tandem.output().contains("destination trunk-a is down"));
    callAndTalk();
    assertThat(tandem.output())
        .contains("trying trunk-b (1 more in the group)")
        .doesNotContain("trying trunk-a");
  }

  @Test
  void aTrunkAnswering503IsFailedOverToTheNext() throws Exception {
    Process a = Sipp.uas(dir, ns, portA, "uas-503.xml");
    trunks.add(a);
    trunks.add(Sipp.uas(dir, ns, portB, "uas-answer.xml", "-rtp_echo"));
    startBridge("");
    callAndTalk();
    assertThat(tandem.output()).contains("trunk-a failed with 503 Service Unavailable: failing over");
    assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(a.exitValue()).as(Sipp.traces(dir)).isZero();
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream mode: a SIPp PBX is the registrar; the bridge REGISTERs a browser user there while the
 * user is online (digest-challenged or plain), refreshes it, and un-REGISTERs it when the user has
 * gone; the PBX's INVITE to the registered contact rings the browser.
 */
@RealPeers({"sipp", "chromium"})
class UpstreamE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Process pbx;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (pbx != null) {
        pbx.destroy();
        if (!pbx.waitFor(3, TimeUnit.SECONDS)) {
          pbx.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private void startBridge(int pbxPort, String account) throws Exception {
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sessions:
          resume-grace: 1s
        routing:
          destinations:
            pbx: { host: 127.0.0.1, port: %d }
        upstream:
          accounts:
            %s
        media:
          embedded:
            port-min: 42400
            port-max: 42599
        """
            .formatted(pbxPort, account));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  private void awaitPbxDone() throws Exception {
    assertThat(pbx.waitFor(30, TimeUnit.SECONDS)).as("the PBX scenario ends").isTrue();
    assertThat(pbx.exitValue()).as(Sipp.traces(dir) + "\n== tandem\n" + tandem.output()).isZero();
  }

  @Test
  void aUserIsRegisteredWithDigestRefreshedRungByThePbxAndUnregisteredWhenGone() throws Exception {
    int pbxPort = FreePorts.next();
    pbx = Sipp.uas(dir, ns, pbxPort, "pbx-registrar-digest.xml", "-rtp_echo");
    startBridge(
        pbxPort,
        "alice: { destination: pbx, username: \"1001\", password: secret-1001, domain: pbx.test }");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      try {
        // the PBX calls once the registration was refreshed (about 6 s after the first)
        assertThat(alice.awaitIncoming()).contains("Front Desk");
        alice.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 100);
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + "\n" + tandem.output(), e);
      }
      assertThat(tandem.output())
          .contains("alice registered upstream as sip:1001@pbx.test at pbx for 12 s")
          .contains("alice registered upstream as sip:1001@pbx.test at pbx for 120 s");
    }
    // the browser is gone: after the resume grace (1 s) the bridge un-REGISTERs
    awaitPbxDone();
    await().atMost(Duration.ofSeconds(5)).until(() -> tandem.output().contains("alice unregistered from pbx"));
  }

  @Test
  void aPlainRegistrarGetsTheUserAsLongAsItIsOnline() throws Exception {
    int pbxPort = FreePorts.next();
    pbx = Sipp.uas(dir, ns, pbxPort, "pbx-registrar-plain.xml");
    startBridge(
        pbxPort,
        "bob: { destination: pbx, username: \"1002\", password: unused, domain: pbx.test }");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone.signIn(b, tandem, "bob");
      await("bob registered")
          .atMost(Duration.ofSeconds(10))
          .until(() -> tandem.output().contains("bob registered upstream as sip:1002@pbx.test at pbx for 300 s"));
      assertThat(pbx.isAlive()).as("no un-REGISTER while bob is online").isTrue();
    }
    awaitPbxDone();
  }
}

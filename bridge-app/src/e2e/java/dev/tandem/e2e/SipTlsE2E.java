package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS with a real peer: the bridge listens on TLS with a certificate (PEM) from a test CA;
 * baresip, trusting that CA, registers over TLS and a browser's call reaches it over the same TLS
 * connection.
 */
@RealPeers({"baresip", "chromium"})
class SipTlsE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Baresip baresip;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    TestCertificates.Ca ca = TestCertificates.ca(dir, "test");
    TestCertificates.Leaf bridge = TestCertificates.leaf(dir, "bridge", ca);
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sip:
          listen: # the ports are the test's (TandemProcess sets both to its SIP port)
            - { transport: udp, host: 127.0.0.1, port: 5060 }
            - { transport: tls, host: 127.0.0.1, port: 5060 }
          tls:
            certificate: %s
            private-key: %s
            ca-file: %s
        registrar:
          accounts:
            "1001": { password: pw-1001, digest-algorithms: [md5] }
        media:
          embedded:
            port-min: 43200
            port-max: 43399
        """
            .formatted(bridge.certificate(), bridge.privateKey(), ca.pem()));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
    baresip = Baresip.registeredOverTls(dir, ns, "1001", "pw-1001", tandem.sipPort, ca.pem());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (baresip != null) {
        baresip.close();
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void baresipRegistersOverTlsAndABrowsersCallReachesItThere() throws Exception {
    try {
      await("1001 registered over TLS")
          .atMost(Duration.ofSeconds(15))
          .until(() -> tandem.output().contains("1001 registered at 1 contact"));
      assertThat(tandem.output()).contains("SIP listening on tls 127.0.0.1:" + tandem.sipPort);
      try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
        Softphone alice = Softphone.signIn(a, tandem, "alice");
        alice.dial("1001");
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 100);
        assertThat(baresip.log()).contains("Call established");
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
      }
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + baresip.log() + "\n" + tandem.output(), e);
    }
  }
}

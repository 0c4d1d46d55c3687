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
 * SIP over TLS with real peers: the bridge listens on TLS with a certificate (PEM) from a test CA;
 * baresip, trusting that CA, registers over TLS and a browser's call reaches it over the same TLS
 * connection. Toward TLS destinations the bridge verifies the peer's certificate against its
 * ca-file and its name against the destination's host: a phone with a certificate from another
 * CA, or from the right CA for another name, is not called.
 */
@RealPeers({"baresip", "chromium"})
class SipTlsE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Baresip baresip;

  private Baresip trusted;
  private Baresip rogue;
  private Baresip misnamed;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    TestCertificates.Ca ca = TestCertificates.ca(dir, "test");
    TestCertificates.Leaf bridge = TestCertificates.leaf(dir, "bridge", ca);
    // two TLS phones: one with a certificate from the bridge's CA, one from a CA it does not know
    trusted = Baresip.tlsServer(dir, ns, "3000", TestCertificates.leaf(dir, "good", ca).combined());
    TestCertificates.Ca other = TestCertificates.ca(dir, "rogue");
    rogue = Baresip.tlsServer(dir, ns, "4000", TestCertificates.leaf(dir, "bad", other).combined());
    // and one whose certificate, from the right CA, names another host than the one we dial
    misnamed =
        Baresip.tlsServer(
            dir,
            ns,
            "5000",
            TestCertificates.leaf(
                    dir,
                    "misnamed",
                    ca,
                    new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.dNSName, "pbx.example.com"))
                .combined());
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
        routing:
          destinations:
            good: { host: 127.0.0.1, port: %d, transport: tls }
            bad: { host: 127.0.0.1, port: %d, transport: tls }
            misnamed: { host: 127.0.0.1, port: %d, transport: tls }
          dial-plan:
            - { name: good, pattern: "3000", destination: good }
            - { name: bad, pattern: "4000", destination: bad }
            - { name: misnamed, pattern: "5000", destination: misnamed }
          permissions:
            everyone: [good, bad, misnamed]
        registrar:
          accounts:
            "1001": { password: pw-1001, digest-algorithms: [md5] }
        media:
          embedded:
            port-min: 43200
            port-max: 43399
        """
            .formatted(
                bridge.certificate(),
                bridge.privateKey(),
                ca.pem(),
                trusted.sipPort + 1,
                rogue.sipPort + 1,
                misnamed.sipPort + 1));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
    baresip = Baresip.registeredOverTls(dir, ns, "1001", "pw-1001", tandem.sipPort, ca.pem());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Baresip b : new Baresip[] {baresip, trusted, rogue, misnamed}) {
        if (b != null) {
          b.close();
        }
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

  @Test
  void aTlsDestinationIsCalledOnlyWhenItsCertificateVerifies() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      try {
        alice.dial("4000");
        a.waitFor(
            "document.getElementById('call-peer').textContent === '4000'"
                + " && document.getElementById('call-state').textContent.startsWith('Ended')",
            Duration.ofSeconds(40));
        assertThat(alice.callState()).startsWith("Ended: failed");
        assertThat(rogue.log()).doesNotContain("Call established");
        assertThat(tandem.output()).contains("cannot send INVITE to sip:4000@127.0.0.1");
        alice.dial("5000");
        a.waitFor(
            "document.getElementById('call-peer').textContent === '5000'"
                + " && document.getElementById('call-state').textContent.startsWith('Ended')",
            Duration.ofSeconds(40));
        // JAIN-SIP drops the request when the name check refuses the connection, without an
        // error back: the INVITE times out (Timer B), the phone never sees it
        assertThat(alice.callState()).isEqualTo("Ended: no-answer (408)");
        assertThat(misnamed.log()).doesNotContain("Call established");
        alice.dial("3000");
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 100);
        assertThat(trusted.log()).contains("Call established");
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n" + rogue.log() + "\n" + trusted.log() + "\n" + tandem.output(), e);
      }
    }
  }
}

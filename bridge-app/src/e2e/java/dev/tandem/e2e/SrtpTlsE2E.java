package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The secure trunk: a TLS destination (as in {@link SipTlsE2E}) with {@code media-encryption:
 * sdes-required}, with each media backend. Behind it, baresip with {@code ;mediaenc=srtp-mand}
 * over TLS carries audio both ways. The same settings toward peers that cannot do SRTP fail the
 * call: a baresip without the srtp module refuses the RTP/SAVP offer itself (488); SIPp (no TLS
 * in its build, so over UDP) answers plain RTP/AVP, which the bridge refuses with a reason the
 * browser can read.
 */
@RealPeers({"chromium", "baresip", "sipp", "rtpengine"})
@ParameterizedClass(name = "media backend {0}")
@ValueSource(strings = {"rtpengine", "embedded"})
class SrtpTlsE2E {
  /** The same calls through each media backend. */
  @Parameter String backend;

  /** RMS of baresip's recording above which it heard the browser's tone. */
  private static final double HEARD = 300;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Rtpengine rtpengine;
  private TandemProcess tandem;
  private Baresip secure;
  private Baresip plain;
  private Process sipp;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    rtpengine = Rtpengine.start(dir, ns);
    TestCertificates.Ca ca = TestCertificates.ca(dir, "test");
    TestCertificates.Leaf bridge = TestCertificates.leaf(dir, "bridge", ca);
    secure =
        Baresip.tlsServer(
            dir, ns, "3000", TestCertificates.leaf(dir, "secure", ca).combined(), "srtp-mand");
    plain = Baresip.tlsServer(dir, ns, "3001", TestCertificates.leaf(dir, "plain", ca).combined());
    int sippPort = FreePorts.next();
    sipp = Sipp.uas(dir, ns, sippPort, "uas-answer.xml");
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
            secure: { host: 127.0.0.1, port: %d, transport: tls, media-encryption: sdes-required }
            plain: { host: 127.0.0.1, port: %d, transport: tls, media-encryption: sdes-required }
            sipp: { host: 127.0.0.1, port: %d, media-encryption: sdes-required }
          dial-plan:
            - { name: secure, pattern: "3000", destination: secure }
            - { name: plain, pattern: "3001", destination: plain }
            - { name: sipp, pattern: "3002", destination: sipp }
          permissions:
            everyone: [secure, plain, sipp]
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 44800
            port-max: 44999
        """
            .formatted(
                bridge.certificate(),
                bridge.privateKey(),
                ca.pem(),
                secure.sipPort + 1,
                plain.sipPort + 1,
                sippPort,
                backend,
                rtpengine.ngPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (AutoCloseable c : new AutoCloseable[] {secure, plain, tandem, rtpengine}) {
        if (c != null) {
          c.close();
        }
      }
      if (sipp != null) {
        Peers.stop(sipp, 1, Duration.ofSeconds(3));
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void theSecureTrunkCarriesAudioAndRefusesAPeerThatAnswersPlainRtp() throws Exception {
    Path tone = dir.resolve("browser-tone.wav");
    Baresip.writeTone(tone);
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir, tone)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      a.eval(
          "(window.tandemDemo.client.on('outgoing', (c) => c.on('ended', (i) => (window.lastEnded"
              + " = i))), true)");
      try {
        alice.dial("3000");
        alice.awaitCallState("In call");
        Softphone.Media media = alice.awaitAudioBothWays(null, 100);
        assertThat(media.audioEnergy()).as("alice hears baresip's tone").isPositive();
        org.awaitility.Awaitility.await("baresip hears the browser's tone over SRTP")
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(secure.heardLevel()).isGreaterThan(HEARD));
        assertThat(secure.log()).contains("SRTP is Enabled");
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");

        alice.dial("3001"); // baresip without srtp: refuses RTP/SAVP itself
        awaitEnded(a, "3001");
        assertThat(alice.callState()).isEqualTo("Ended: failed (488)");
        assertThat(plain.log()).doesNotContain("Call established");

        alice.dial("3002"); // SIPp answers RTP/AVP: the bridge must refuse the answer
        awaitEnded(a, "3002");
        assertThat(alice.callState()).startsWith("Ended: failed");
        JsonNode ended = a.eval("window.lastEnded");
        assertThat(ended.path("sipReason").asText())
            .as("the reason the browser is told: " + ended)
            .containsIgnoringCase("SRTP");
      } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            e.getMessage()
                + "\nbrowser: "
                + alice.callState()
                + "\n--- secure\n"
                + secure.log()
                + "\n--- plain\n"
                + plain.log()
                + "\n--- sipp\n"
                + Sipp.traces(dir)
                + "\n--- tandem\n"
                + tandem.output(),
            e);
      }
    }
  }

  private static void awaitEnded(Browser a, String peer) {
    a.waitFor(
        "document.getElementById('call-peer').textContent === '%s'".formatted(peer)
            + " && document.getElementById('call-state').textContent.startsWith('Ended')",
        Duration.ofSeconds(20));
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio as a registrar serving the domain example.test (usrloc {@code use_domain}): a SIPp phone
 * registers {@code sip:bob@example.test}; a browser dials {@code bob} through a destination with
 * {@code domain: example.test}, so the INVITE is for {@code sip:bob@example.test} while it goes to
 * Kamailio's host:port, Kamailio finds bob and the call connects with audio. Without the domain the
 * same dial asks for {@code sip:bob@127.0.0.1:<port>} and Kamailio answers 404.
 */
@RealPeers({"kamailio", "sipp", "chromium"})
class KamailioE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private Kamailio kamailio;
  private Process phone;
  private TandemProcess tandem;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    kamailio = Kamailio.start(dir, ns, "example.test");
    int phonePort = FreePorts.next();
    phone = Sipp.uas(dir, ns, phonePort, "uas-phone-bob.xml", "-rtp_echo");
    Sipp.Result registered =
        Sipp.uac(dir, ns, "phone-register.xml", kamailio.port, "u1", 1, "-key", "uas_port", Integer.toString(phonePort));
    assertThat(registered.exitCode()).as("bob registers at Kamailio:\n" + registered.output() + kamailio.log()).isZero();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (phone != null) {
        Peers.stop(phone, 1, java.time.Duration.ofSeconds(3));
      }
      if (tandem != null) {
        tandem.close();
      }
      if (kamailio != null) {
        kamailio.close();
      }
    } finally {
      ns.close();
    }
  }

  private void startBridge(String destination) throws Exception {
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            kamailio: %s
          dial-plan:
            - { name: kamailio-users, pattern: "[a-z][a-z0-9._-]*|[0-9]{3,6}", destination: kamailio }
          permissions:
            everyone: [kamailio-users]
        """
            .formatted(destination));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  private String traces() {
    return "\n== kamailio\n" + kamailio.log() + "\n" + Sipp.traces(dir) + "\n== tandem\n" + tandem.output();
  }

  @Test
  void aBrowserDiallingBobThroughTheDomainReachesThePhoneRegisteredThere() throws Exception {
    startBridge("{ host: 127.0.0.1, port: %d, domain: example.test }".formatted(kamailio.port));
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      try {
        alice.dial("bob");
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + traces(), e);
      }
    }
    assertThat(phone.waitFor(10, TimeUnit.SECONDS)).as("the phone's scenario ends" + traces()).isTrue();
    assertThat(phone.exitValue()).as("the phone saw To: sip:bob@example.test" + traces()).isZero();
    assertThat(kamailio.log()).contains("lookup INVITE for sip:bob@example.test: found sip:bob@127.0.0.1:");
  }

  @Test
  void withoutTheDomainTheSameDialIsNotFound() throws Exception {
    startBridge("{ host: 127.0.0.1, port: %d }".formatted(kamailio.port));
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      try {
        alice.dial("bob");
        alice.awaitCallState("Ended: not-found (404)");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + traces(), e);
      }
    }
    assertThat(kamailio.log())
        .contains("lookup INVITE sip:bob@127.0.0.1:" + kamailio.port + ": not found");
    assertThat(phone.isAlive()).as("no INVITE reached the phone").isTrue();
  }
}

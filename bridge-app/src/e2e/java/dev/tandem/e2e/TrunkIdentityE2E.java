package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Trunk identity toward a SIPp carrier serving carrier.example, with digest: the INVITE a browser
 * places is for {@code sip:<dialled>@carrier.example} and comes from the user's own DID with its
 * display name, asserted in P-Asserted-Identity; an anonymous call comes from {@code
 * anonymous@anonymous.invalid} with the DID only in P-Asserted-Identity and {@code Privacy: id}.
 * The SIPp scenarios check every header (a wrong one fails the call there); a destination without
 * an identity header refuses anonymous calls before any SIP is sent.
 */
@RealPeers({"sipp", "chromium"})
class TrunkIdentityE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Process carrier;
  private int carrierPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    carrierPort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        auth:
          users:
            alice: { password: alice-dev, number: "+15551230001", display-name: "Alice Smith" }
        routing:
          destinations:
            carrier:
              host: 127.0.0.1
              port: %d
              domain: carrier.example
              username: acct123
              password: secret
              from: { user: number, fixed-user: "15551230000", display-name: user }
              identity-header: pai
            pbx: { host: 127.0.0.1, port: %d }
          dial-plan:
            - { name: national, pattern: "\\\\+?[0-9]{7,15}", destination: carrier }
            - { name: extensions, pattern: "[0-9]{3,4}", destination: pbx }
          permissions:
            everyone: [national, extensions]
        """
            .formatted(carrierPort, FreePorts.next()));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (carrier != null) {
        Peers.stop(carrier, 1, Duration.ofSeconds(3));
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private String traces() {
    return "\n" + Sipp.traces(dir) + "\n== tandem\n" + tandem.output();
  }

  /** Alice calls the carrier's number; the carrier's scenario has checked the INVITE. */
  private void callTheCarrier(Softphone alice) {
    try {
      alice.dial("+15559876543");
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 50);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + traces(), e);
    }
  }

  private void awaitCarrierDone() throws InterruptedException {
    assertThat(carrier.waitFor(10, TimeUnit.SECONDS)).as("the carrier's scenario ends" + traces()).isTrue();
    assertThat(carrier.exitValue()).as("the carrier accepted the INVITE's identity" + traces()).isZero();
  }

  @Test
  void theCarrierGetsItsDomainAndTheUsersDidAsFromAndPaiAfterDigest() throws Exception {
    carrier = Sipp.uas(dir, ns, carrierPort, "uas-carrier-identity.xml", "-rtp_echo");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      callTheCarrier(Softphone.signIn(a, tandem, "alice"));
    }
    awaitCarrierDone();
  }

  @Test
  void anAnonymousCallHidesTheCallerInFromAndAssertsItWithPrivacy() throws Exception {
    carrier = Sipp.uas(dir, ns, carrierPort, "uas-carrier-anonymous.xml", "-rtp_echo");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      a.eval("(document.getElementById('anonymous').checked = true, true)");
      // the PBX has no identity header: no anonymous calls there, refused before any SIP
      alice.dial("200");
      a.waitFor(
          "document.getElementById('error').textContent.includes('anonymous calls through pbx are not allowed')",
          Duration.ofSeconds(10));
      callTheCarrier(alice);
    }
    awaitCarrierDone();
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's time-limited TURN credentials against a real coturn that shares its secret
 * ({@code use-auth-secret}): coturn allocates with them and refuses altered ones, and two real
 * browsers restricted to {@code iceTransportPolicy: 'relay'} talk through it.
 */
@RealPeers({"coturn", "chromium", "firefox-esr"})
class TurnRelayE2E {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Coturn coturn;
  private TandemProcess tandem;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    coturn = Coturn.start(dir, ns);
    tandem =
        TandemProcess.start(
            dir,
            ns,
            "--set",
            "ice.servers=[{urls: [\"turn:127.0.0.1:%d?transport=udp\"], shared-secret: %s}]"
                .formatted(coturn.port, coturn.secret));
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      try {
        if (coturn != null) {
          coturn.close();
        }
      } finally {
        ns.close();
      }
    }
  }

  /** {@code GET /api/ice-servers} as alice, from inside the namespace. */
  private JsonNode iceServers() throws Exception {
    Process curl =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        "curl", "-sf", "-m", "5", "-u", "alice:alice-dev",
                        "http://127.0.0.1:" + tandem.httpPort + "/api/ice-servers")))
            .redirectErrorStream(true)
            .start();
    assertThat(curl.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String body = new String(curl.getInputStream().readAllBytes());
    assertThat(curl.exitValue()).as(body).isZero();
    return JSON.readTree(body).get("iceServers").get(0);
  }

  @Test
  void coturnAllocatesWithTheBridgesCredentialsAndRefusesAlteredOnes() throws Exception {
    JsonNode server = iceServers();
    String username = server.get("username").asText();
    String credential = server.get("credential").asText();
    assertThat(username).matches("\\d+:alice");

    Coturn.Run ok = coturn.allocate(username, credential);
    assertThat(ok.exitCode()).as(ok.output()).isZero();
    assertThat(ok.output()).contains("Total lost packets 0");

    Coturn.Run tampered = coturn.allocate(username, "x" + credential.substring(1));
    assertThat(tampered.exitCode()).as(tampered.output()).isNotZero();
    assertThat(tampered.output()).contains("Cannot complete Allocation");

    // another user's name with alice's credential: the HMAC binds the credential to the name
    Coturn.Run otherUser = coturn.allocate(username.replace(":alice", ":bob"), credential);
    assertThat(otherUser.exitCode()).as(otherUser.output()).isNotZero();
  }

  @Test
  void chromiumCallsFirefoxWithMediaOnlyThroughTurn() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser c = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice", "/?ice=relay");
      Softphone carol = Softphone.signIn(c, tandem, "carol", "/?ice=relay");

      alice.dial("carol");
      assertThat(carol.awaitIncoming()).isEqualTo("alice");
      carol.answer();
      alice.awaitCallState("In call");
      carol.awaitCallState("In call");

      Softphone.Media alicesSide = alice.awaitAudioBothWays(null, 50);
      Softphone.Media carolsSide = carol.awaitAudioBothWays(null, 50);
      assertThat(alicesSide.dtlsState()).isEqualTo("connected");
      assertThat(alicesSide.localCandidateType()).as("Chromium sends through coturn").isEqualTo("relay");
      assertThat(carolsSide.localCandidateType()).as("Firefox sends through coturn").isEqualTo("relay");
      assertThat(alicesSide.audioEnergy()).as("alice hears carol through TURN").isPositive();

      alice.hangUp();
      carol.awaitCallState("Ended: remote-hangup");
    }
  }
}

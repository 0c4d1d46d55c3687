package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream template against a real Kamailio that checks auth_ephemeral credentials: carol has
 * no upstream account of her own; signed in, she is registered as {@code sip:carol@example.test}
 * with credentials derived from the shared secret, the Contact carrying the node's
 * {@code +sip.instance} and {@code reg-id}; a phone's INVITE to that address through Kamailio rings
 * her browser and the call has audio. Signed out, her binding is removed. A node with the wrong
 * secret is refused and says so.
 */
@RealPeers({"kamailio", "sipp", "chromium"})
class UpstreamTemplateE2E {
  private static final String SECRET = "shared-with-kamailio";

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Kamailio kamailio;
  private TandemProcess tandem;

  @AfterEach
  void stop() throws Exception {
    try {
      if (tandem != null) {
        tandem.close();
      }
      if (kamailio != null) {
        kamailio.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  private void start(String secret) throws Exception {
    ns = NetworkNamespace.create();
    kamailio = Kamailio.start(dir, ns, "example.test", Optional.of(SECRET));
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sessions:
          resume-grace: 1s
        routing:
          destinations:
            kamailio: { host: 127.0.0.1, port: %d, domain: example.test }
        upstream:
          template: { destination: kamailio, credentials: ephemeral, secret: %s, expires: 30s }
        node: { id: edge-a }
        """
            .formatted(kamailio.port, secret));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  private String traces() {
    return "\n== kamailio\n" + kamailio.log() + "\n" + Sipp.traces(dir) + "\n== tandem\n" + tandem.output();
  }

  @Test
  void aUserWithoutAnAccountIsRegisteredByTheTemplateAndReachedThroughKamailio() throws Exception {
    start(SECRET);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(b, tandem, "carol");
      await("carol registered at Kamailio")
          .atMost(Duration.ofSeconds(10))
          .until(() -> kamailio.log().contains("registered sip:carol@example.test contact"));
      assertThat(kamailio.log())
          .as("the Contact names the node's instance and a reg-id" + traces())
          .containsPattern("registered sip:carol@example\\.test contact .*\\+sip\\.instance=\"<urn:uuid:[0-9a-f-]{36}>\".*reg-id=1");
      assertThat(tandem.output()).contains("carol registered upstream as sip:carol@example.test at kamailio");

      CompletableFuture<Sipp.Result> phone =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Sipp.uac(
                      dir, ns, "uac-via-proxy.xml", kamailio.port, "u1", 1,
                      "-s", "carol", "-key", "domain", "example.test", "-rtp_echo", "-d", "4000");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        assertThat(carol.awaitIncoming()).isEqualTo("sipp");
        carol.answer();
        carol.awaitCallState("In call");
        carol.awaitAudioBothWays(null, 50);
        carol.awaitCallState("Ended: remote-hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + traces(), e);
      }
      Sipp.Result call = phone.get(30, TimeUnit.SECONDS);
      assertThat(call.exitCode()).as(call.output() + traces()).isZero();
      assertThat(kamailio.log()).contains("lookup INVITE for sip:carol@example.test: found sip:carol@127.0.0.1:");
    }
    await("carol's binding removed once her browser is gone")
        .atMost(Duration.ofSeconds(10))
        .until(() -> tandem.output().contains("carol unregistered from kamailio (sip:carol@example.test)"));
  }

  @Test
  void aNodeWithTheWrongSecretIsRefusedAndSaysSo() throws Exception {
    start("not-the-" + SECRET);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone.signIn(b, tandem, "carol");
      await("the refusal logged")
          .atMost(Duration.ofSeconds(10))
          .until(() -> tandem.output().contains("carol's registration as sip:carol@example.test at kamailio failed: credentials refused (401)"));
    }
    assertThat(kamailio.log()).doesNotContain("registered sip:carol@example.test");
  }
}

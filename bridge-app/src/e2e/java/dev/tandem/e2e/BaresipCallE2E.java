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
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser ⇄ baresip through the bridge, both directions, with each media backend. baresip sends a tone and
 * records what it hears; the browser's getStats says what it hears. Both must hear the other.
 */
@RealPeers({"chromium", "firefox-esr", "baresip", "rtpengine"})
@ParameterizedClass(name = "media backend {0}")
@ValueSource(strings = {"rtpengine", "embedded"})
class BaresipCallE2E {
  /** The same calls through each media backend. */
  @Parameter String backend;

  /** RMS of baresip's recording above which it heard more than silence and comfort noise. */
  private static final double HEARD = 200;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Rtpengine rtpengine;
  private TandemProcess tandem;
  private Baresip baresip;

  private void startBridge(int phonePort) throws Exception {
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            phone:
              host: 127.0.0.1
              port: %d
          dial-plan:
            - name: phones
              pattern: "2[0-9]{3}"
              destination: phone
          permissions:
            everyone: [phones]
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 42000
            port-max: 42199
        """
            .formatted(phonePort, backend, rtpengine.ngPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    rtpengine = Rtpengine.start(dir, ns);
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
      if (rtpengine != null) {
        rtpengine.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void chromiumCallsBaresipAndEachHearsTheOther() throws Exception {
    baresip = Baresip.start(dir, ns, "2000", null); // baresip answers only its own user
    startBridge(baresip.sipPort);
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("2000");
      Softphone.Media media;
      try {
        alice.awaitCallState("In call");
        media = alice.awaitAudioBothWays(null, 100);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + baresip.log() + "\n" + tandem.output(), e);
      }
      assertThat(media.audioEnergy()).as("the browser hears baresip's tone").isPositive();
      awaitHeardByBaresip();
      // RFC 4733 events from the keypad: baresip only recognises them with the telephone-event
      // payload type it negotiated (101), so hearing them proves the relay renumbered 126 → 101
      alice.pressKeys("15#");
      await("baresip receives the keypad's DTMF")
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(baresip.receivedDtmf()).as(baresip.log()).isEqualTo("15#"));
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      await("baresip sees the BYE")
          .atMost(Duration.ofSeconds(10))
          .until(() -> baresip.log().contains("terminated"));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void baresipCallsABrowserWhoAnswersAndEachHearsTheOther(Kind kind) throws Exception {
    startBridge(FreePorts.next()); // no call goes to the destination: baresip dials the bridge
    try (Browser b = Browser.launch(kind, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      baresip = Baresip.start(dir, ns, "phone", "sip:bob@127.0.0.1:" + tandem.sipPort);
      assertThat(bob.awaitIncoming()).isEqualTo("sip:phone@127.0.0.1");
      bob.answer();
      Softphone.Media media;
      try {
        bob.awaitCallState("In call");
        media = bob.awaitAudioBothWays(null, 100);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + baresip.log() + "\n" + tandem.output(), e);
      }
      assertThat(media.audioEnergy()).as("the browser hears baresip's tone").isPositive();
      awaitHeardByBaresip();
      bob.hangUp();
      bob.awaitCallState("Ended: hangup");
      await("baresip sees the BYE")
          .atMost(Duration.ofSeconds(10))
          .until(() -> baresip.log().contains("terminated"));
    }
  }

  private void awaitHeardByBaresip() {
    await("baresip hears the browser's fake microphone")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(baresip.heardLevel()).as(baresip.log()).isGreaterThan(HEARD));
  }
}

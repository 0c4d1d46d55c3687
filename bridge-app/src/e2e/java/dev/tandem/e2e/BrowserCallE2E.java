package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser-to-browser calls through the real bridge, with real Chromium and Firefox using the demo
 * softphone and the SDK it loads from the bridge: signaling relayed by Tandem, media peer-to-peer
 * (shared/PEERS.md: everything inside one loopback-only network namespace).
 */
@RealPeers({"chromium", "firefox-esr"})
class BrowserCallE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;

  @BeforeEach
  void startBridge() throws Exception {
    ns = NetworkNamespace.create();
    tandem = TandemProcess.start(dir, ns);
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void chromiumCallsChromiumWithAudioBothWaysThenHangsUp() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      Softphone bob = Softphone.signIn(b, tandem, "bob");

      alice.dial("bob");
      assertThat(bob.awaitIncoming()).isEqualTo("alice");
      alice.awaitCallState("Ringing");
      assertThat(a.eval(CONTROLS).asText()).as("while ringing: hang up only").isEqualTo("hangup mute");
      bob.answer();
      alice.awaitCallState("In call");
      bob.awaitCallState("In call");
      assertThat(a.eval(CONTROLS).asText()).isEqualTo("keypad hold hangup mute transfer-form");

      Softphone.Media heard = alice.awaitAudioBothWays(null, 50);
      Softphone.Media heardByBob = bob.awaitAudioBothWays(null, 50);
      assertThat(heard.dtlsState()).isEqualTo("connected");
      assertThat(heard.audioEnergy()).as("alice hears bob's fake microphone tone").isPositive();
      assertThat(heardByBob.audioEnergy()).as("bob hears alice").isPositive();
      assertThat(heard.localCandidateType()).as("peer-to-peer on loopback").isEqualTo("host");
      screenshot(a, "chromium-demo-in-call.png");

      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(a.eval(CONTROLS).asText()).as("after the end: no control").isEmpty();
    }
  }

  /** The demo's call controls that are shown, by id. */
  private static final String CONTROLS =
      "['keypad', 'hold', 'hangup', 'mute', 'transfer-form']"
          + ".filter((id) => !document.getElementById(id).hidden).join(' ')";

  @Test
  void chromiumCallsFirefoxAndFirefoxCallsBack() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser c = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      Softphone carol = Softphone.signIn(c, tandem, "carol");

      alice.dial("carol");
      assertThat(carol.awaitIncoming()).isEqualTo("alice");
      carol.answer();
      alice.awaitCallState("In call");
      Softphone.Media chromium = alice.awaitAudioBothWays(null, 50);
      Softphone.Media firefox = carol.awaitAudioBothWays(null, 50);
      assertThat(chromium.audioEnergy()).as("Chromium hears Firefox's fake microphone").isPositive();
      assertThat(firefox.dtlsState()).isEqualTo("connected");
      screenshot(c, "firefox-demo-in-call.png");
      carol.hangUp();
      alice.awaitCallState("Ended: remote-hangup");

      carol.dial("alice");
      assertThat(alice.awaitIncoming()).isEqualTo("carol");
      alice.answer();
      carol.awaitCallState("In call");
      carol.awaitAudioBothWays(null, 50);
      alice.awaitAudioBothWays(null, 50);
      alice.hangUp();
      carol.awaitCallState("Ended: remote-hangup");
    }
  }

  @Test
  void declinedOfflineAndUnroutableCallsEndReadably() throws Exception {
    try (Browser a = Browser.launch(Kind.FIREFOX, "alice", ns, dir);
        Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      alice.dial("bob");
      bob.awaitIncoming();
      bob.decline();
      alice.awaitCallState("Ended: declined");

      alice.dial("dave");
      alice.awaitCallState("Ended: unavailable");

      alice.dial("sip:1000@pbx.invalid");
      a.waitFor("document.getElementById('error').textContent !== ''", Duration.ofSeconds(10));
      assertThat(a.eval("document.getElementById('error').textContent").asText())
          .as("a refused call is explained on the page")
          .contains("no route to 'sip:1000@pbx.invalid'");
    }
  }

  @Test
  void aCallSurvivesTheWebSocketDroppingAndResuming() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      alice.dial("bob");
      bob.awaitIncoming();
      bob.answer();
      alice.awaitCallState("In call");
      Softphone.Media before = alice.awaitAudioBothWays(null, 25);

      // The connection drops (not a sign-out): the SDK reconnects and resumes within the grace.
      a.eval("(window.tandemDemo.client._ws.close(3000, 'network lost'), true)");
      a.waitFor("document.getElementById('status').textContent === 'reconnecting…'", Duration.ofSeconds(5));
      a.waitFor("document.getElementById('status').textContent === 'online as alice'", Duration.ofSeconds(15));
      assertThat(alice.callState()).isEqualTo("In call");
      alice.awaitAudioBothWays(before, 50);

      // Signaling still works on the resumed session: bob's hang-up reaches alice.
      bob.hangUp();
      alice.awaitCallState("Ended: remote-hangup");
    }
  }

  private static void screenshot(Browser browser, String name) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "e2e-screenshots"));
    browser.screenshot(shots.resolve(name));
    assertThat(shots.resolve(name)).isNotEmptyFile();
  }
}

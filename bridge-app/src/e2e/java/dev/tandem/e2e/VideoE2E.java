package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Video calls (issue 19) between real browsers with fake cameras and baresip as a SIP video phone
 * (fakevideo + VP8, {@link Baresip#videoPhone}), through the bridge: frames decoded at both ends
 * (the browser's getStats {@code framesDecoded}, baresip's {@code /video_debug}), audio alongside,
 * the camera off and on again mid-call from either side, video added to an audio call, key frames asked by SIP INFO (RFC 5168)
 * from a SIPp video phone without RTCP feedback, a destination with {@code video: false}, and
 * browser ⇄ browser calls, whose media does not pass the bridge (rtpengine: {@link
 * RtpengineVideoE2E}). One
 * bridge with the embedded relay, one Chromium and one Firefox serve most tests; the tests with
 * another configuration start a bridge of their own in the same namespace.
 */
@RealPeers({"chromium", "firefox-esr", "baresip", "sipp"})
class VideoE2E {
  /** Video frames that prove a stream is decoded, not a lone key frame (the cameras send 15–30 fps). */
  private static final int FRAMES = 30;

  /** Frames a decoder may still show after the sender stopped (in flight, jitter buffer). */
  private static final int STRAGGLERS = 5;

  /** RMS of baresip's recording above which it heard more than silence and comfort noise. */
  private static final double HEARD = 200;

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path root;
  private static NetworkNamespace ns;
  private static TandemProcess tandem;
  private static int phonePort;
  private static Browser chromium;
  private static BrowserVideo alice;
  private static Browser firefox;
  private static BrowserVideo carol;

  /** Started by one test, stopped after it (in reverse order). */
  private final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    ns = NetworkNamespace.create();
    phonePort = FreePorts.next();
    tandem = bridge("embedded", phonePort, "", embedded(39_000));
    chromium = Browser.launch(Kind.CHROMIUM, "alice", ns, root);
    alice = BrowserVideo.of(Softphone.signIn(chromium, tandem, "alice"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      for (AutoCloseable c : new AutoCloseable[] {firefox, chromium, tandem}) {
        if (c != null) {
          c.close();
        }
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @AfterEach
  void stopStarted() throws Exception {
    try {
      for (BrowserVideo browser : new BrowserVideo[] {alice, carol}) {
        if (browser != null) {
          browser.hangUpIfInCall(); // a failed test leaves no call to the next one
        }
      }
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        started.get(i).close();
      }
    }
  }

  /** The embedded relay's media section, with a port range of its own for each bridge. */
  private static String embedded(int portMin) {
    return """
        backend: embedded
        embedded:
          port-min: %d
          port-max: %d
        """
        .formatted(portMin, portMin + 199);
  }

  /**
   * A bridge in the test's namespace, its files under {@code name}, with the destination {@code
   * phone} (numbers 2xxx) at 127.0.0.1:{@code phonePort} and {@code destinationExtra} added to that
   * destination's YAML (e.g. {@code video: false}); {@code media} is its {@code media:} section.
   */
  private static TandemProcess bridge(String name, int phonePort, String destinationExtra, String media)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve(name));
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            phone:
              host: 127.0.0.1
              port: %d
              %s
          dial-plan:
            - name: phones
              pattern: "2[0-9]{3}"
              destination: phone
          permissions:
            everyone: [phones]
        media:
        %s"""
            .formatted(phonePort, destinationExtra, media.indent(2)));
    TandemProcess bridge = TandemProcess.start(dir, ns, "--config", config.toString());
    try {
      bridge.awaitReady();
    } catch (RuntimeException | Error e) {
      bridge.close();
      throw e;
    }
    return bridge;
  }

  private static BrowserVideo carol() throws Exception {
    if (carol == null) {
      firefox = Browser.launch(Kind.FIREFOX, "carol", ns, root);
      carol = BrowserVideo.of(Softphone.signIn(firefox, tandem, "carol"));
    }
    return carol;
  }

  private <T extends AutoCloseable> T started(T closeable) {
    started.add(closeable);
    return closeable;
  }

  @Test
  void chromiumCallsBaresipWithVideoAndAudioBothWays() throws Exception {
    Baresip phone = started(Baresip.videoPhone(root, ns, "2000", phonePort, null));
    alice.dial("2000");
    awaitActive(alice, phone, tandem);
    BrowserVideo.Media media = awaitVideoAndAudio(alice, phone, tandem);
    assertThat(media.audioEnergy()).as("Chromium hears baresip's tone").isPositive();
    awaitHeardByBaresip(phone);
    assertThat(alice.remoteSdp()).as("the answer keeps the video").containsPattern("(?m)^m=video [1-9]");
    alice.hangUp();
    awaitBaresipHungUp(phone);
  }

  @Test
  void baresipCallsFirefoxWithVideoAndAudioBothWays() throws Exception {
    BrowserVideo carol = carol();
    Baresip phone =
        started(Baresip.videoPhone(root, ns, "phone", FreePorts.next(), "sip:carol@127.0.0.1:" + tandem.sipPort));
    assertThat(carol.answer()).isEqualTo("sip:phone@127.0.0.1");
    awaitActive(carol, phone, tandem);
    BrowserVideo.Media media = awaitVideoAndAudio(carol, phone, tandem);
    assertThat(media.audioEnergy()).as("Firefox hears baresip's tone").isPositive();
    assertThat(carol.remoteSdp()).as("baresip offers VP8, which Firefox has").contains("VP8/90000");
    carol.hangUp();
    awaitBaresipHungUp(phone);
  }

  @Test
  void theBrowserTurnsItsCameraOffAndOnAgainMidCall() throws Exception {
    Baresip phone = started(Baresip.videoPhone(root, ns, "2000", phonePort, null));
    alice.dial("2000");
    awaitActive(alice, phone, tandem);
    awaitVideoAndAudio(alice, phone, tandem);

    alice.camera(false);
    long stopped = quietFrames(phone);
    BrowserVideo.Media off = alice.awaitFramesDecoded(alice.media(), FRAMES);
    assertThat(off.videoFramesDecoded()).as("the browser still sees baresip with its own camera off").isPositive();

    alice.camera(true);
    awaitDecodedByBaresip(phone, stopped);
    alice.awaitFramesDecoded(off, FRAMES);
    alice.hangUp();
    awaitBaresipHungUp(phone);
  }

  @Test
  void baresipTurnsItsCameraOffAndOnAgainMidCall() throws Exception {
    Baresip phone = started(Baresip.videoPhone(root, ns, "2000", phonePort, null));
    alice.dial("2000");
    awaitActive(alice, phone, tandem);
    awaitVideoAndAudio(alice, phone, tandem);

    phone.videoDirection("recvonly"); // a re-INVITE through the bridge to the browser
    alice.awaitVideoDirection("sendonly");
    BrowserVideo.Media stopped = alice.media();
    Thread.sleep(1500);
    BrowserVideo.Media later = alice.media();
    assertThat(later.videoFramesDecoded() - stopped.videoFramesDecoded())
        .as("Chromium decodes no more of baresip's video once its camera is off")
        .isLessThanOrEqualTo(STRAGGLERS);
    awaitDecodedByBaresip(phone, phone.decodedFrames()); // baresip still sees the browser

    phone.videoDirection("sendrecv");
    alice.awaitVideoDirection("sendrecv");
    alice.awaitFramesDecoded(later, FRAMES);
    alice.awaitAudioBothWays(100);
    alice.hangUp();
    awaitBaresipHungUp(phone);
  }

  /** An audio call gets video mid-call: the browser turns its camera on, the re-INVITE adds a video stream. */
  @Test
  void anAudioCallAddsVideoWhenTheBrowserTurnsItsCameraOn() throws Exception {
    Baresip phone = started(Baresip.videoPhone(root, ns, "2000", phonePort, null));
    alice.dial("2000", false);
    awaitActive(alice, phone, tandem);
    alice.awaitAudioBothWays(100);
    assertThat(alice.remoteSdp()).as("an audio call").doesNotContain("m=video");
    assertThat(phone.decodedFrames()).isZero();

    alice.camera(true);
    awaitVideoAndAudio(alice, phone, tandem);
    assertThat(alice.remoteSdp()).as("the video the re-offer added").containsPattern("(?m)^m=video [1-9]");
    alice.hangUp();
    awaitBaresipHungUp(phone);
  }

  @Test
  void aDestinationWithoutVideoIsAnsweredAudioOnlyAndTheCallWorks() throws Exception {
    int port = FreePorts.next();
    TandemProcess audioOnly = started(bridge("audio-only", port, "video: false", embedded(39_200)));
    Baresip phone = started(Baresip.videoPhone(root, ns, "2000", port, null));
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, root.resolve("audio-only"))) {
      BrowserVideo bob = BrowserVideo.of(Softphone.signIn(b, audioOnly, "bob"));
      bob.dial("2000");
      awaitActive(bob, phone, audioOnly);
      assertThat(bob.remoteSdp()).as("video refused in place").containsPattern("(?m)^m=video 0 ");
      BrowserVideo.Media media = bob.awaitAudioBothWays(100);
      assertThat(media.audioEnergy()).as("the browser hears baresip's tone").isPositive();
      awaitHeardByBaresip(phone);
      assertThat(phone.decodedFrames()).as("baresip was offered no video").isZero();
      assertThat(phone.log()).as("baresip's video stream never started").doesNotContain("vidisp: fakevideo 352");
      assertThat(bob.media().videoFramesDecoded()).isZero();
      bob.hangUp();
      awaitBaresipHungUp(phone);
    }
  }

  /**
   * A SIP video phone without RTCP feedback (SIPp, no {@code a=rtcp-fb}) asks for key frames by SIP
   * INFO picture_fast_update (RFC 5168): the bridge turns each into an RTCP PLI to the browser,
   * whose getStats counts PLIs received ({@code pliCount}) and answers them with key frames.
   */
  @Test
  void aSipPhoneAsksTheBrowserForKeyFramesBySipInfo() throws Exception {
    Path dir = Files.createDirectories(root.resolve("fast-update"));
    Process phone = Sipp.uas(dir, ns, phonePort, "uas-video-fast-update.xml");
    started(() -> Peers.stop(phone, 1, Duration.ofSeconds(3)));
    alice.dial("2000");
    try {
      alice.awaitActive();
      long before = alice.picturesAsked(); // the INFOs come 3 s and 5 s after the ACK
      alice.awaitPicturesAsked(before + 2);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + "\n" + tandem.output(), e);
    }
    alice.hangUp();
    assertThat(phone.waitFor(10, TimeUnit.SECONDS)).as("SIPp got its BYE").isTrue();
    assertThat(phone.exitValue()).as(Sipp.traces(dir)).isZero();
  }

  /**
   * The browser asks a SIP video phone without RTCP feedback for a key frame: SIPp sends VP8 delta
   * frames without the key frame they build on (a capture of baresip's video), Chromium cannot
   * decode them and sends PLIs, and the bridge turns them into SIP INFO picture_fast_update (RFC
   * 5168), which the scenario requires.
   */
  @Test
  void theBrowserAsksASipPhoneForKeyFramesBySipInfo() throws Exception {
    Path dir = Files.createDirectories(root.resolve("asked-fast-update"));
    try (InputStream pcap = VideoE2E.class.getResourceAsStream("/sipp/vp8-delta-frames.pcap")) {
      Files.copy(pcap, dir.resolve("vp8-delta-frames.pcap"));
    }
    Process phone = Sipp.uas(dir, ns, phonePort, "uas-video-asked-fast-update.xml");
    started(() -> Peers.stop(phone, 1, Duration.ofSeconds(3)));
    alice.dial("2000");
    try {
      alice.awaitActive();
      await("the bridge sends SIPp an INFO picture_fast_update")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> Sipp.traces(dir).contains("<picture_fast_update"));
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + "\n" + tandem.output(), e);
    }
    assertThat(alice.picturesWanted()).as("Chromium asked for a key frame").isPositive();
    alice.hangUp();
    assertThat(phone.waitFor(10, TimeUnit.SECONDS)).as("SIPp got its BYE").isTrue();
    assertThat(phone.exitValue()).as(Sipp.traces(dir)).isZero();
  }

  /** Browser ⇄ browser (the PeerCall path: the bridge relays signaling only) stays as it was with video. */
  @Test
  void chromiumAndFirefoxCallEachOtherWithVideoPeerToPeer() throws Exception {
    BrowserVideo carol = carol();
    alice.dial("carol");
    assertThat(carol.answer()).isEqualTo("alice");
    alice.awaitActive();
    carol.awaitActive();
    alice.awaitFramesDecoded(null, FRAMES);
    carol.awaitFramesDecoded(null, FRAMES);
    assertThat(alice.awaitAudioBothWays(50).audioEnergy()).as("Chromium hears Firefox").isPositive();
    alice.hangUp();
    carol.awaitEnded();
  }

  private static void awaitActive(BrowserVideo browser, Baresip phone, TandemProcess bridge) {
    try {
      browser.awaitActive();
    } catch (AssertionError e) {
      throw withLogs(e, phone, bridge);
    }
  }

  /** Waits for video frames decoded at both ends and audio both ways; returns the browser's view. */
  private static BrowserVideo.Media awaitVideoAndAudio(BrowserVideo browser, Baresip phone, TandemProcess bridge)
      throws Exception {
    try {
      BrowserVideo.Media media = browser.awaitFramesDecoded(null, FRAMES);
      awaitDecodedByBaresip(phone, 0);
      assertThat(media.videoFramesSent()).as("the browser sends its camera").isPositive();
      return browser.awaitAudioBothWays(100);
    } catch (AssertionError e) {
      throw withLogs(e, phone, bridge);
    }
  }

  /** Waits until baresip has decoded {@link #FRAMES} more video frames than {@code before}. */
  private static void awaitDecodedByBaresip(Baresip phone, long before) {
    await(phone.user + " decodes video")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> assertThat(phone.decodedFrames()).as(phone.log()).isGreaterThanOrEqualTo(before + FRAMES));
  }

  /** Waits until baresip's decoded-frame count stands still (the sender's camera is off) and returns it. */
  private static long quietFrames(Baresip phone) throws Exception {
    Thread.sleep(500); // frames in flight
    long stopped = phone.decodedFrames();
    Thread.sleep(1500);
    long later = phone.decodedFrames();
    assertThat(later - stopped)
        .as("baresip decodes no more of the browser's video once its camera is off")
        .isLessThanOrEqualTo(STRAGGLERS);
    return later;
  }

  private static void awaitHeardByBaresip(Baresip phone) {
    await("baresip hears the browser's fake microphone")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(phone.heardLevel()).as(phone.log()).isGreaterThan(HEARD));
  }

  private static void awaitBaresipHungUp(Baresip phone) {
    await("baresip sees the BYE")
        .atMost(Duration.ofSeconds(10))
        .until(() -> phone.log().contains("terminated"));
  }

  private static AssertionError withLogs(AssertionError e, Baresip phone, TandemProcess bridge) {
    return new AssertionError(e.getMessage() + "\n" + phone.log() + "\n" + bridge.output(), e);
  }
}

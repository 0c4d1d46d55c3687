package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SDES-SRTP (RFC 4568) toward real SIP phones registered to the bridge, with each media backend:
 * baresip with its srtp module and {@code ;mediaenc=srtp-mand}, linphonec with {@code
 * media_encryption=srtp} (mandatory), and, as the control, a plain baresip. A Chromium whose fake
 * microphone plays a 440 Hz tone calls each phone and is called by it; tshark on the namespace's
 * loopback reads the SDP the bridge sent the phone and the RTP of the SIP leg, which must not
 * decode as G.711 when the phone requires SRTP (and does decode on the plain call, so the check
 * can fail). One bridge, browser and set of phones serve every call of a backend.
 */
@RealPeers({"chromium", "baresip", "linphonec", "rtpengine", "tshark"})
@ParameterizedClass(name = "media backend {0}")
@ValueSource(strings = {"rtpengine", "embedded"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SrtpE2E {
  /** The same calls through each media backend. */
  @Parameter String backend;

  /** RMS of a phone's recording above which it heard the browser's tone, not silence. */
  private static final double HEARD = 300;

  /** Lag-1 correlation of decoded samples above which a stream is plain audio. */
  private static final double PLAIN_AUDIO = 0.5;

  /** |Lag-1 correlation| below which a stream decodes as noise: ciphertext. */
  private static final double CIPHERTEXT = 0.2;

  private static final Pattern CRYPTO =
      Pattern.compile("(?m)^a=crypto:\\d+ [A-Z0-9_]+ inline:[A-Za-z0-9+/=]+(\\|\\S+)*\\r?$");

  private static final Pattern SUITE = Pattern.compile("(?m)^a=crypto:\\d+ (\\S+) ");

  @TempDir static Path root;
  private Path dir;
  private NetworkNamespace ns;
  private Rtpengine rtpengine;
  private TandemProcess tandem;
  private LoopbackCapture capture;
  private Baresip srtpBaresip;
  private Baresip plainBaresip;
  private Linphonec linphonec;
  private Browser browser;
  private Softphone alice;
  private Path tone;

  @BeforeParameterizedClassInvocation
  void start() throws Exception {
    dir = Files.createDirectories(root.resolve(backend));
    ns = NetworkNamespace.create();
    rtpengine = Rtpengine.start(dir, ns);
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        registrar:
          accounts:
            "1001": { password: pw-1001, digest-algorithms: [md5], media-encryption: sdes-required }
            "1002": { password: pw-1002, digest-algorithms: [sha-256], media-encryption: sdes-required }
            "1003": { password: pw-1003, digest-algorithms: [md5] } # plain, the default
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 44600
            port-max: 44799
        """
            .formatted(backend, rtpengine.ngPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    capture = LoopbackCapture.start(dir, ns);
    tandem.awaitReady();
    srtpBaresip = Baresip.registered(dir, ns, "1001", "pw-1001", tandem.sipPort, "srtp-mand");
    linphonec = Linphonec.registered(dir, ns, "1002", "pw-1002", tandem.sipPort, true, "srtp");
    plainBaresip = Baresip.registered(dir, ns, "1003", "pw-1003", tandem.sipPort);
    tone = dir.resolve("browser-tone.wav");
    Baresip.writeTone(tone);
    browser = Browser.launch(Kind.CHROMIUM, "alice", ns, dir, tone);
    alice = Softphone.signIn(browser, tandem, "alice");
    for (String account : List.of("1001", "1002", "1003")) {
      await(account + " registered")
          .atMost(Duration.ofSeconds(15))
          .until(() -> tandem.output().contains(account + " registered at 1 contact"));
    }
  }

  @AfterParameterizedClassInvocation
  void stop() throws Exception {
    try {
      for (AutoCloseable c :
          new AutoCloseable[] {
            browser, srtpBaresip, plainBaresip, linphonec, capture, tandem, rtpengine
          }) {
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

  /** A failed test leaves no call up for the next one. */
  @AfterEach
  void hangUpWhatIsLeft() {
    String state = alice.callState();
    if (!state.startsWith("Ended") && !state.equals("Idle")) {
      alice.hangUp();
    }
    if (browser.eval("!document.getElementById('incoming').hidden").asBoolean()) {
      alice.decline();
    }
  }

  @Test
  void aBrowserCallsBaresipRequiringSrtpAndEachHearsTheOtherOverSrtp() throws Exception {
    int mark = capture.mark();
    alice.dial("1001");
    try {
      alice.awaitCallState("In call");
      Softphone.Media media = alice.awaitAudioBothWays(null, 100);
      assertThat(media.audioEnergy()).as("alice hears baresip's tone").isPositive();
      awaitHeard(srtpBaresip);
      String offer = capture.lastSdpTo(mark, srtpBaresip.sipPort);
      System.out.printf(
          "SrtpE2E [%s] the bridge's offer to baresip:%n%s%nSIP:%n%s",
          backend, offer.replaceAll("inline:\\S+", "inline:<key>"), capture.sipSummary(mark));
      assertThat(offer).as("the bridge's offer to baresip").contains(" RTP/SAVP ");
      assertThat(CRYPTO.matcher(offer).results().count())
          .as("a=crypto lines of the bridge's offer:\n" + offer)
          .isOne();
      assertThat(offer).as("no DTLS attributes in an SDES offer").doesNotContain("a=fingerprint");
      // only the suites the bridge speaks: never a NULL cipher, nothing it could not decrypt
      assertThat(SUITE.matcher(offer).results().map(m -> m.group(1)).toList())
          .as("the suites of the bridge's offer")
          .isNotEmpty()
          .allMatch(
              suite ->
                  List.of("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_128_GCM")
                      .contains(suite));
      assertSipLegEncrypted(mark, srtpBaresip.sipPort);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw failure(e, mark, srtpBaresip.sipPort, srtpBaresip.log());
    }
  }

  @Test
  void baresipRequiringSrtpCallsTheBrowserAndEachHearsTheOtherOverSrtp() throws Exception {
    int mark = capture.mark();
    srtpBaresip.command("/dial alice");
    try {
      assertThat(alice.awaitIncoming()).contains("1001");
      alice.answer();
      alice.awaitCallState("In call");
      Softphone.Media media = alice.awaitAudioBothWays(null, 100);
      assertThat(media.audioEnergy()).as("alice hears baresip's tone").isPositive();
      awaitHeard(srtpBaresip);
      String answer = capture.lastSdpTo(mark, srtpBaresip.sipPort);
      System.out.printf(
          "SrtpE2E [%s] the bridge's answer to baresip:%n%s%n",
          backend, answer.replaceAll("inline:\\S+", "inline:<key>"));
      assertThat(answer).as("the bridge's answer to baresip").contains(" RTP/SAVP ");
      assertThat(CRYPTO.matcher(answer).results().count())
          .as("a=crypto lines of the bridge's answer:\n" + answer)
          .isEqualTo(1);
      assertSipLegEncrypted(mark, srtpBaresip.sipPort);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw failure(e, mark, srtpBaresip.sipPort, srtpBaresip.log());
    }
  }

  @Test
  void linphonecWithSrtpCallsTheBrowserAndIsCalledWithAudioBothWays() throws Exception {
    int mark = capture.mark();
    Path sent = dir.resolve("linphonec-tone.wav");
    Baresip.writeTone(sent);
    try {
      alice.dial("1002"); // linphonec auto-answers
      alice.awaitCallState("In call");
      awaitLinphonecMediaStreams(1);
      linphonec.command("play " + sent);
      Path heard = dir.resolve("linphonec-heard-1.wav");
      linphonec.command("record " + heard);
      Softphone.Media media = alice.awaitAudioBothWays(null, 100);
      awaitHeard(heard);
      await("alice hears linphonec's tone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> alice.media().audioEnergy() > 0);
      assertSipLegEncrypted(mark, linphonec.sipPort);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      await("linphonec sees the BYE")
          .atMost(Duration.ofSeconds(10))
          .until(() -> linphonec.log().contains("ended"));

      mark = capture.mark();
      linphonec.command("call sip:alice@127.0.0.1:" + tandem.sipPort);
      assertThat(alice.awaitIncoming()).contains("1002");
      alice.answer();
      alice.awaitCallState("In call");
      awaitLinphonecMediaStreams(2);
      linphonec.command("play " + sent);
      Path heardToo = dir.resolve("linphonec-heard-2.wav");
      linphonec.command("record " + heardToo);
      alice.awaitAudioBothWays(null, 100);
      awaitHeard(heardToo);
      await("alice hears linphonec's tone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> alice.media().audioEnergy() > 0);
      assertSipLegEncrypted(mark, linphonec.sipPort);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(media.packetsReceived()).isPositive();
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw failure(e, mark, linphonec.sipPort, linphonec.log());
    }
  }

  /** The control: on a plain call the same check finds G.711 audio both ways, so it can fail. */
  @Test
  void thePlainCallsSipLegDecodesAsG711BothWays() throws Exception {
    int mark = capture.mark();
    alice.dial("1003");
    try {
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 100);
      awaitHeard(plainBaresip);
      String offer = capture.lastSdpTo(mark, plainBaresip.sipPort);
      assertThat(offer).contains(" RTP/AVP ").doesNotContain("a=crypto");
      SipLeg leg = sipLeg(mark, plainBaresip.sipPort);
      assertThat(leg.toPhone().neighbourCorrelation())
          .as("bridge → phone: " + leg.toPhone())
          .isGreaterThan(PLAIN_AUDIO);
      assertThat(leg.fromPhone().neighbourCorrelation())
          .as("phone → bridge: " + leg.fromPhone())
          .isGreaterThan(PLAIN_AUDIO);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw failure(e, mark, plainBaresip.sipPort, plainBaresip.log());
    }
  }

  /** What the RTP of the SIP leg of the call after {@code mark} says, each way. */
  private record SipLeg(G711Signal.Verdict toPhone, G711Signal.Verdict fromPhone) {}

  private SipLeg sipLeg(int mark, int phoneSipPort) {
    SipLeg leg = measure(mark, phoneSipPort);
    System.out.printf(
        "SrtpE2E [%s] SIP leg: bridge → phone %s; phone → bridge %s%n",
        backend, leg.toPhone(), leg.fromPhone());
    return leg;
  }

  private SipLeg measure(int mark, int phoneSipPort) {
    int bridgeMedia =
        LoopbackCapture.audioPort(capture.lastSdpTo(mark, phoneSipPort));
    int phoneMedia =
        LoopbackCapture.audioPort(capture.lastSdpFrom(mark, phoneSipPort));
    return new SipLeg(
        G711Signal.of(capture.payloads(mark, bridgeMedia, phoneMedia)),
        G711Signal.of(capture.payloads(mark, phoneMedia, bridgeMedia)));
  }

  private void assertSipLegEncrypted(int mark, int phoneSipPort) {
    SipLeg leg = sipLeg(mark, phoneSipPort);
    assertThat(leg.toPhone().packets()).as("bridge → phone: " + leg.toPhone()).isGreaterThan(50);
    assertThat(Math.abs(leg.toPhone().neighbourCorrelation()))
        .as("bridge → phone must be SRTP, not G.711: " + leg.toPhone())
        .isLessThan(CIPHERTEXT);
    assertThat(leg.fromPhone().packets()).as("phone → bridge: " + leg.fromPhone()).isGreaterThan(50);
    assertThat(Math.abs(leg.fromPhone().neighbourCorrelation()))
        .as("phone → bridge must be SRTP, not G.711: " + leg.fromPhone())
        .isLessThan(CIPHERTEXT);
  }

  /**
   * Waits until linphonec has set up the media of its {@code calls}-th call: a console command typed
   * before that (play, record) can leave it stuck with the 200 OK unanswered.
   */
  private void awaitLinphonecMediaStreams(int calls) {
    await("linphonec's call " + calls + " has media")
        .atMost(Duration.ofSeconds(10))
        .until(() -> linphonec.log().split("Media streams established", -1).length > calls);
  }

  private void awaitHeard(Path linphonecRecording) {
    await("linphonec hears the browser's tone")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(Baresip.rms(linphonecRecording)).isGreaterThan(HEARD));
  }

  private void awaitHeard(Baresip phone) {
    await(phone.user + " hears the browser's tone")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(phone.heardLevel()).isGreaterThan(HEARD));
  }

  private AssertionError failure(Throwable e, int mark, int phoneSipPort, String phoneLog) {
    return new AssertionError(
        e.getMessage()
            + "\nbrowser call state: "
            + alice.callState()
            + "\n--- SIP seen since the call began\n"
            + capture.sipSummary(mark)
            + "\n--- media flows (UDP ports: datagrams)\n"
            + capture.flowSummary(mark)
            + "\n--- SIP to and from the phone\n"
            + capture.sipTo(mark, phoneSipPort)
            + "\n--- phone\n"
            + phoneLog
            + "\n--- tandem\n"
            + tandem.output(),
        e);
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Browser ⇄ SIP calls through the real bridge, once with rtpengine and once with the embedded
 * relay as the media backend (the same scenarios, so both backends must pass them): a real Chromium
 * (the demo page) calls a real SIPp, and SIPp calls the browser; audio is checked in the browser
 * (SIPp echoes every RTP packet back, so what the browser receives went browser → rtpengine → SIPp
 * → rtpengine → browser).
 */
@RealPeers({"chromium", "firefox-esr", "sipp", "rtpengine"})
@ParameterizedClass(name = "media backend {0}")
@ValueSource(strings = {"rtpengine", "embedded"})
class SipCallE2E {
  /** The same calls through each media backend. */
  @Parameter String backend;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Rtpengine rtpengine;
  private TandemProcess tandem;
  private final List<Process> sipps = new ArrayList<>();
  private int sippPort;
  private int ivrPort;
  private int trunkPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    rtpengine = Rtpengine.start(dir, ns);
    sippPort = FreePorts.next();
    trunkPort = FreePorts.next();
    ivrPort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx:
              host: 127.0.0.1
              port: %d
            trunk:
              host: 127.0.0.1
              port: %d
              username: trunkuser
              password: trunk-secret
            ivr:
              host: 127.0.0.1
              port: %d
              dtmf: info
          dial-plan:
            - name: ivr
              pattern: "8[0-9]{3}"
              destination: ivr
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
            - name: outside
              pattern: "9[0-9]{4,15}"
              destination: trunk
          permissions:
            everyone: [extensions, outside, ivr]
            users:
              bob: []
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 42000
            port-max: 42199
        calls:
          ring-timeout: 10s
          media-timeout: 4s
        """
            .formatted(sippPort, trunkPort, ivrPort, backend, rtpengine.ngPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process sipp : sipps) {
        sipp.destroy();
        if (!sipp.waitFor(5, TimeUnit.SECONDS)) {
          sipp.destroyForcibly();
        }
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
  void chromiumCallsSippWithAudioBothWaysThroughRtpengine() throws Exception {
    Process uas = sipp("uas", "-sn", "uas", "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "1");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      Softphone.Media media;
      try {
        alice.awaitCallState("In call");
        media = alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + a.console() + sippOutput("uas"), e);
      }
      assertThat(media.dtlsState()).as("DTLS-SRTP with rtpengine").isEqualTo("connected");
      assertThat(media.audioEnergy()).as("the echo SIPp sends back is audible").isPositive();
      screenshot(a, "chromium-calls-sipp.png");

      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its BYE and finished").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("uas")).isZero();
    }
  }

  @Test
  void dtmfToAnInfoDestinationGoesAsSipInfoAndItsInfoReachesTheBrowser() throws Exception {
    // the IVR's answer has telephone-event, but its destination says `dtmf: info`
    Process uas = sippUas("uas-info", ivrPort, "uas-info-dtmf.xml");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("8000");
      carol.awaitCallState("In call");
      assertThat(c.eval("window.tandemDemo.call.dtmfMethod").asText()).isEqualTo("info");
      carol.pressKeys("12#");
      // the IVR checked each INFO's body, then sent digit 5 back as INFO
      c.waitFor("document.getElementById('dtmf-digits').textContent === '5'", Duration.ofSeconds(10));
      carol.hangUp();
      carol.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its INFOs and BYE").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("uas-info")).isZero();
    }
  }

  @Test
  void holdAndResumeGoAsReInvitesAndAudioFlowsAgainAfterResume() throws Exception {
    Process uas = sippUas("uas-hold", sippPort, "uas-hold-resume.xml", "-rtp_echo");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      Softphone.Media before;
      try {
        carol.awaitCallState("In call");
        before = carol.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput("uas-hold"), e);
      }
      // hold: the browser re-offers sendonly, the bridge re-INVITEs, SIPp answers recvonly
      carol.click("hold");
      c.waitFor(DIRECTION.formatted("sendonly"), Duration.ofSeconds(10));
      // resume: sendrecv again, and the echo comes back through the media backend
      carol.click("hold");
      c.waitFor(DIRECTION.formatted("sendrecv"), Duration.ofSeconds(10));
      Softphone.Media after = carol.awaitAudioBothWays(carol.media(), 50);
      assertThat(after.packetsReceived()).isGreaterThan(before.packetsReceived());
      carol.hangUp();
      carol.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp saw both re-INVITEs and the BYE").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("uas-hold")).isZero();
    }
  }

  @Test
  void aSipPhoneHoldsAndResumesTheBrowserByReInviteAndAudioFlowsAgain() throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Process uac =
          sipp(
              "uac-hold",
              "127.0.0.1:" + tandem.sipPort,
              "-sf", scenario("uac-hold-resume.xml").toString(),
              "-s", "bob",
              "-p", Integer.toString(FreePorts.next()),
              "-rtp_echo",
              "-m", "1");
      bob.awaitIncoming();
      bob.answer();
      Softphone.Media before;
      try {
        bob.awaitCallState("In call");
        before = bob.awaitAudioBothWays(null, 50);
        // the phone's hold: the bridge re-offers it to the browser, which answers recvonly
        b.waitFor(DIRECTION.formatted("recvonly"), Duration.ofSeconds(10));
        b.waitFor(DIRECTION.formatted("sendrecv"), Duration.ofSeconds(10));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput("uac-hold") + tandem.output(), e);
      }
      Softphone.Media after = bob.awaitAudioBothWays(bob.media(), 50);
      assertThat(after.packetsReceived()).isGreaterThan(before.packetsReceived());
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uac.exitValue()).as(sippOutput("uac-hold")).isZero();
    }
  }

  @Test
  void aSipPhoneHoldsTheBrowserWithAnUpdate() throws Exception {
    Process uas = sippUas("uas-update", sippPort, "uas-update-hold.xml", "-rtp_echo");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      try {
        carol.awaitCallState("In call");
        // SIPp's UPDATE (sendonly) is re-offered to the browser, which answers recvonly
        c.waitFor(DIRECTION.formatted("recvonly"), Duration.ofSeconds(10));
        // the browser's answer then still has to reach the bridge and become the 200 to the
        // UPDATE: hanging up before that would cross it (the BYE would go first)
        org.awaitility.Awaitility.await("SIPp got the 200 to its UPDATE")
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    java.util.regex.Pattern.compile(
                            "received.*\\R\\R?SIP/2\\.0 200 OK(?:\\R(?!\\R).*)*\\RCSeq: \\d+ UPDATE")
                        .matcher(sippOutput("uas-update"))
                        .find());
      } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput("uas-update") + tandem.output(), e);
      }
      carol.hangUp();
      carol.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its 200 to UPDATE and the BYE").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("uas-update")).isZero();
    }
  }

  /** True once the audio transceiver's negotiated direction is the given one. */
  private static final String DIRECTION =
      "window.tandemDemo.call.pc.signalingState === 'stable' && window.tandemDemo.call.pc"
          + ".getTransceivers().some((t) => t.currentDirection === '%s')";

  @Test
  void firefoxCallsSippAndHearsTheRecordingSippPlays() throws Exception {
    // SIPp answers and plays its shipped PCMA recording (7 s of speech) toward the browser
    Process uas = sippUas("uas-ff", sippPort, "uas-play-pcap.xml");
    try (Browser c = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      Softphone.Media media;
      try {
        carol.awaitCallState("In call");
        media = carol.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + c.console() + sippOutput("uas-ff"), e);
      }
      assertThat(media.dtlsState()).as("DTLS-SRTP between Firefox and rtpengine").isEqualTo("connected");
      assertThat(media.audioEnergy()).as("Firefox hears the recording").isPositive();
      carol.hangUp();
      carol.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its BYE and finished").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("uas-ff")).isZero();
    }
  }

  @Test
  void earlyMediaFrom183IsHeardBeforeTheAnswer() throws Exception {
    Process uas = sippUas("early", sippPort, "uas-183-early-media.xml", "-rtp_echo");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      Softphone.Media early;
      try {
        alice.awaitCallState("Early media");
        early = alice.awaitAudioBothWays(null, 25);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + a.console() + sippOutput("early"), e);
      }
      assertThat(early.dtlsState()).as("DTLS on the provisional answer").isEqualTo("connected");
      assertThat(a.eval("document.getElementById('call-state').textContent").asText())
          .as("still not answered while the echo is heard")
          .isEqualTo("Early media");
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(early, 25);
      alice.hangUp();
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(sippOutput("early")).isZero();
    }
  }

  @Test
  void reliableEarlyMediaIsPrackedAndHeard() throws Exception {
    // SIPp requires 100rel: it answers only after our PRACK for its 183 (RFC 3262)
    Process uas = sippUas("prack", sippPort, "uas-183-100rel.xml", "-rtp_echo");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      Softphone.Media early;
      try {
        alice.awaitCallState("Early media");
        early = alice.awaitAudioBothWays(null, 25);
        alice.awaitCallState("In call");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput("prack") + tandem.output(), e);
      }
      alice.awaitAudioBothWays(early, 25);
      alice.hangUp();
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(sippOutput("prack")).isZero();
    }
  }

  @Test
  void aSipPeerThatSendsNoMediaIsHungUpAfterTheMediaTimeout() throws Exception {
    // SIPp's built-in UAS answers and then sends no RTP at all: a phone that died mid-call.
    // (sippCallsTheBrowserWhoAnswersAndAudioFlowsBothWays is the control: 6 s of echoed media
    // with the same 4 s timeout end by SIPp's BYE, not by the watchdog.)
    Process uas = sipp("silent", "-sn", "uas", "-p", Integer.toString(sippPort), "-m", "1");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("In call");
      alice.awaitCallState("Ended: timeout");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).as("SIPp got the BYE").isTrue();
      assertThat(uas.exitValue()).as(sippOutput("silent")).isZero();
      assertThat(tandem.output()).contains("no media from the SIP side for 4 s");
    }
  }

  @Test
  void aBusySipPeerEndsTheCallAsBusyWith486() throws Exception {
    Process uas = sippUas("busy", sippPort, "uas-486.xml");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("Ended: busy (486)");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(sippOutput("busy")).isZero();
    }
  }

  @Test
  void hangingUpWhileTheSipPeerRingsSendsCancel() throws Exception {
    Process uas = sippUas("cancel", sippPort, "uas-ring-until-cancel.xml");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("Ringing");
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS))
          .as("SIPp got CANCEL and the ACK for 487: " + sippOutput("cancel"))
          .isTrue();
      assertThat(uas.exitValue()).as(sippOutput("cancel")).isZero();
    }
  }

  @Test
  void aTrunkThatChallengesWith407GetsTheConfiguredDigestCredentials() throws Exception {
    Process trunk = sippUas("trunk", trunkPort, "uas-407-digest.xml", "-rtp_echo");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("9012345");
      try {
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + a.console() + sippOutput("trunk"), e);
      }
      alice.hangUp();
      assertThat(trunk.waitFor(15, TimeUnit.SECONDS)).isTrue();
      String log = sippOutput("trunk");
      assertThat(trunk.exitValue()).as(log).isZero();
      // RFC 2617 §3.2.2 (no qop): response = MD5(MD5(user:realm:password):nonce:MD5(INVITE:uri))
      Matcher auth =
          Pattern.compile("Proxy-Authorization: Digest .*uri=\"([^\"]+)\".*response=\"([0-9a-f]{32})\"")
              .matcher(log);
      assertThat(auth.find()).as("the retried INVITE carries Proxy-Authorization: " + log).isTrue();
      String ha1 = md5("trunkuser:trunk.test:trunk-secret");
      String ha2 = md5("INVITE:" + auth.group(1));
      assertThat(auth.group(2)).isEqualTo(md5(ha1 + ":5d8f1a2b3c4d5e6f:" + ha2));
    }
  }

  @Test
  void sippCallsTheBrowserWhoAnswersAndAudioFlowsBothWays() throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      int uacPort = FreePorts.next();
      Process uac =
          sipp(
              "uac",
              "127.0.0.1:" + tandem.sipPort,
              "-sn",
              "uac",
              "-s",
              "bob",
              "-p",
              Integer.toString(uacPort),
              "-rtp_echo",
              "-d",
              "6000",
              "-m",
              "1");
      assertThat(bob.awaitIncoming()).as("SIPp's display name").isEqualTo("sipp");
      bob.answer();
      Softphone.Media media;
      try {
        bob.awaitCallState("In call");
        media = bob.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + sippOutput("uac"), e);
      }
      assertThat(media.dtlsState()).isEqualTo("connected");
      // SIPp hangs up after its 6 s pause.
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uac.exitValue()).as(sippOutput("uac")).isZero();
    }
  }

  @Test
  void callsTheDialPlanForbidsOrCannotRouteAreRefusedBeforeAnySipIsSent() throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone.signIn(b, tandem, "bob");
      b.eval("(document.getElementById('to').value = '1000', document.getElementById('call').click(), true)");
      b.waitFor("document.getElementById('error').textContent !== ''", Duration.ofSeconds(10));
      assertThat(b.eval("document.getElementById('error').textContent").asText())
          .contains("bob may not call '1000'");
    }
    assertThat(tandem.output()).doesNotContain("INVITE sip:1000");
  }

  @Test
  void aSipCallToAnOfflineUserGets480() throws Exception {
    Process uac =
        sipp(
            "offline",
            "127.0.0.1:" + tandem.sipPort,
            "-sf",
            scenario("uac-expect-480.xml").toString(),
            "-s",
            "carol", // a known user (auth.users) who is offline; an unknown one gets 404
            "-p",
            Integer.toString(FreePorts.next()),
            "-m",
            "1");
    assertThat(uac.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(uac.exitValue()).as(sippOutput("offline")).isZero();
  }

  private Path scenario(String name) throws IOException {
    Path file = dir.resolve(name);
    try (var in = getClass().getResourceAsStream("/sipp/" + name)) {
      Files.copy(in, file);
    }
    return file;
  }

  private static String md5(String text) throws Exception {
    byte[] hash = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash);
  }

  /** Starts a SIPp UAS on {@code port} running one of this test's scenarios, for one call. */
  private Process sippUas(String label, int port, String scenario, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("-sf", scenario(scenario).toString(), "-p", Integer.toString(port), "-m", "1"));
    args.addAll(List.of(extra));
    return sipp(label, args.toArray(String[]::new));
  }

  /** Starts SIPp in the namespace with its output in {@code <label>.out}. */
  private Process sipp(String label, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-mp", Integer.toString(FreePorts.next()),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin", "-trace_err", "-trace_msg"));
    Path out = dir.resolve(label + ".out");
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    sipps.add(process);
    return process;
  }

  private String sippOutput(String label) {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_messages.log")
              || p.getFileName().toString().endsWith("_errors.log")
              || p.getFileName().toString().equals(label + ".out")).toList()) {
        text.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text + "\n== tandem\n" + tandem.output();
  }

  private static void screenshot(Browser browser, String name) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "e2e-screenshots"));
    browser.screenshot(shots.resolve(name));
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Browser ⇄ SIP audio through the embedded relay alone (no rtpengine): the browser's ICE checks,
 * DTLS handshake and SRTP meet the bridge's own ICE-lite agent, Bouncy Castle DTLS and SRTP, and
 * SIPp echoes the plain RTP back. (SipCallE2E and BaresipCallE2E run all their scenarios on both
 * backends; this class checks the relay's own log lines: which DTLS role it took.)
 */
@RealPeers({"chromium", "firefox-esr", "sipp"})
class EmbeddedRelayE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> sipps = new ArrayList<>();
  private int sippPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    sippPort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx:
              host: 127.0.0.1
              port: %d
          dial-plan:
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
          permissions:
            everyone: [extensions]
        media:
          backend: embedded
          embedded:
            port-min: 42000
            port-max: 42099
        """
            .formatted(sippPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process sipp : sipps) {
        Peers.stop(sipp, 1, java.time.Duration.ofSeconds(5));
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBrowserCallsSippWithAudioBothWaysThroughTheEmbeddedRelay(Kind kind) throws Exception {
    Process uas = sipp("-sn", "uas", "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "1");
    try (Browser b = Browser.launch(kind, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      alice.dial("1000");
      Softphone.Media media;
      try {
        alice.awaitCallState("In call");
        media = alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + "\n" + tandem.output(), e);
      }
      assertThat(media.dtlsState()).as("DTLS-SRTP with the bridge itself").isEqualTo("connected");
      assertThat(media.audioEnergy()).as("the echo comes back through the relay").isPositive();

      // bad input at every relay port during the call: dropped and counted, the call unharmed
      int warningsBefore = warnings(tandem.output());
      Process garbage = new ProcessBuilder(ns.wrap(List.of("python3", "-c", GARBAGE))).start();
      assertThat(garbage.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(garbage.exitValue()).isZero();
      alice.awaitAudioBothWays(media, 50);
      assertThat(alice.callState()).isEqualTo("In call");
      assertThat(warnings(tandem.output()) - warningsBefore)
          .as("garbage is counted, not logged line by line")
          .isLessThan(5);
      // the browser, as DTLS server, picks from the relay's list: Chromium keeps to AES-CM,
      // Firefox takes AES-GCM (RFC 7714), so the two browsers prove both SRTP transforms
      String profile = kind == Kind.FIREFOX ? "AEAD_AES_128_GCM" : "AES128_CM_HMAC_SHA1_80";
      assertThat(tandem.output())
          .contains("DTLS-SRTP established as CLIENT (" + profile + ")")
          .contains("media embedded relay 127.0.0.1 ports 42000-42099");
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      await("the relay's counters in the log")
          .atMost(Duration.ofSeconds(5))
          .until(() -> tandem.output().contains("relay released"));
      Matcher dropped = Pattern.compile("relay released: .* (\\d+) dropped").matcher(tandem.output());
      assertThat(dropped.find()).isTrue();
      assertThat(Long.parseLong(dropped.group(1)))
          .as("the garbage sent to the call's three sockets was counted (a random datagram may"
              + " pass for the first RTCP and be latched, hence the margin)")
          .isGreaterThanOrEqualTo(3 * GARBAGE_PER_PORT - 5);
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(tandem.output()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void sippCallsABrowserWhoAnswersWithAudioBothWaysThroughTheEmbeddedRelay(Kind kind)
      throws Exception {
    try (Browser b = Browser.launch(kind, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Process uac =
          sipp(
              "127.0.0.1:" + tandem.sipPort,
              "-sn", "uac", "-s", "bob",
              "-p", Integer.toString(FreePorts.next()),
              "-rtp_echo", "-d", "6000", "-m", "1");
      assertThat(bob.awaitIncoming()).isEqualTo("sipp");
      bob.answer();
      Softphone.Media media;
      try {
        bob.awaitCallState("In call");
        media = bob.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + "\n" + tandem.output(), e);
      }
      assertThat(media.dtlsState()).isEqualTo("connected");
      // the browser answered actpass with active, so the relay is the DTLS server here
      assertThat(tandem.output()).contains("DTLS-SRTP established as SERVER");
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uac.exitValue()).as(tandem.output()).isZero();
    }
  }

  private static final int GARBAGE_PER_PORT = 50;

  /**
   * Sends {@link #GARBAGE_PER_PORT} bad datagrams to every port of the relay's range: random
   * bytes, truncated RTP, STUN without valid integrity, DTLS garbage, SRTP that fails
   * authentication, all from a source the relay never verified.
   */
  private static final String GARBAGE =
      """
      import os, random, socket, struct
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      for port in range(42000, 42100):
          for i in range(%d):
              kind = i %% 5
              if kind == 0:
                  d = os.urandom(random.randint(1, 300))
              elif kind == 1:
                  d = bytes([0x80, 0]) + os.urandom(5)
              elif kind == 2:
                  d = struct.pack('!HHI', 1, 8, 0x2112A442) + os.urandom(12) + b'\\x00\\x06\\x00\\x04ab:c'
              elif kind == 3:
                  d = bytes([22, 0xfe, 0xfd]) + os.urandom(60)
              else:
                  d = bytes([0x80, 0x00]) + os.urandom(170)
              s.sendto(d, ('127.0.0.1', port))
      """
          .formatted(GARBAGE_PER_PORT);

  private static int warnings(String log) {
    return (int) log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
  }

  private Process sipp(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-mp", Integer.toString(FreePorts.next()),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin"));
    Process p =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sipp-" + sipps.size() + ".out").toFile())
            .start();
    sipps.add(p);
    return p;
  }
}

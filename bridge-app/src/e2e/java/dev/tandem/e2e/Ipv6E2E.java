package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP and media over IPv6 only: the bridge listens for SIP on {@code udp [::1]}, its embedded relay
 * binds and advertises {@code ::1}, SIPp runs on {@code ::1}; a real Chromium in the same
 * namespace (lo, plus a veth pair that stays inside it so that Chromium gathers {@code ::1}: see
 * {@link NetworkNamespace#enableBrowserIpv6Loopback}) calls SIPp and is called by it. SIPp echoes the
 * browser's RTP, so what the browser receives went browser → relay (SRTP over IPv6) → SIPp (plain
 * RTP over IPv6) → relay → browser. The SDP SIPp sees says {@code c=IN IP6 ::1}; the browser's
 * selected ICE pair has the relay's {@code ::1} candidate.
 */
@RealPeers({"chromium", "sipp", "rtpengine"})
class Ipv6E2E {
  /** The browser's selected ICE candidate pair, as "local address -> remote address". */
  private static final String SELECTED_PAIR_JS =
      """
      (async () => {
        const stats = await window.tandemDemo.call.getStats();
        let pairId = null;
        stats.forEach((s) => {
          if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
        });
        const pair = pairId && stats.get(pairId);
        if (!pair) return null;
        return stats.get(pair.localCandidateId).address + ' -> '
            + stats.get(pair.remoteCandidateId).address;
      })()
      """;

  /** The browser's {@code ::1} or {@code fd00::1} (see NetworkNamespace) to the relay's. */
  private static final String IPV6_PAIR = "(::1|fd00::1) -> ::1";

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Rtpengine rtpengine;
  private final List<Process> sipps = new ArrayList<>();
  private int sippPort;

  /** The embedded relay on {@code ::1} only. */
  private static final String RELAY_V6 =
      """
      backend: embedded
      embedded:
        bind: "::1"
        advertised: "::1"
        port-min: 42100
        port-max: 42199
      """;

  /** The embedded relay on both families: a browser on IPv4 can reach a SIP peer on IPv6. */
  private static final String RELAY_BOTH =
      """
      backend: embedded
      embedded:
        bind: "::"
        advertised: 127.0.0.1
        advertised-v6: "::1"
        port-min: 42100
        port-max: 42199
      """;

  /** The embedded relay on IPv4 only. */
  private static final String RELAY_V4 =
      """
      backend: embedded
      embedded:
        bind: 127.0.0.1
        advertised: 127.0.0.1
        port-min: 42100
        port-max: 42199
      """;

  /**
   * The bridge with SIP on {@code [::1]} and the {@code media} section given; {@code browserIpv6}:
   * the browser gathers IPv6 candidates too (without it, only 127.0.0.1).
   */
  private void start(String media, boolean browserIpv6) throws Exception {
    ns = NetworkNamespace.create();
    if (browserIpv6) {
      ns.enableBrowserIpv6Loopback();
    }
    start(media);
  }

  private void start(String media) throws Exception {
    sippPort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sip:
          listen:
            - transport: udp
              host: "::1"
              port: 5060
            - transport: tcp
              host: "::1"
              port: 5060
        routing:
          destinations:
            pbx:
              host: "::1"
              port: %d
          dial-plan:
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
          permissions:
            everyone: [extensions]
        media:
        %s"""
            .formatted(sippPort, media.indent(2)));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process sipp : sipps) {
        Peers.stop(sipp, 1, Duration.ofSeconds(5));
      }
      if (tandem != null) {
        tandem.close();
      }
      if (rtpengine != null) {
        rtpengine.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void aBrowserCallsSippOverIpv6WithAudioBothWays() throws Exception {
    start(RELAY_V6, true);
    Process uas = sipp("-sn", "uas", "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "1");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      alice.dial("1000");
      Softphone.Media media = inCallWithAudio(alice, b);
      assertThat(media.audioEnergy()).as("SIPp's echo comes back over IPv6").isPositive();
      assertThat(b.eval(SELECTED_PAIR_JS).asText()).as("ICE over IPv6").matches(IPV6_PAIR);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(tandem.output() + traces()).isZero();
    }
    assertThat(traces())
        .as("the INVITE's SDP puts the relay on IPv6")
        .contains("c=IN IP6 ::1")
        .doesNotContain("IN IP4");
  }

  @Test
  void sippCallsABrowserOverIpv6WhoAnswersWithAudioBothWays() throws Exception {
    start(RELAY_V6, true);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Process uac =
          sipp(
              "[::1]:" + tandem.sipPort,
              "-sn", "uac", "-s", "bob",
              "-p", Integer.toString(FreePorts.next()),
              "-rtp_echo", "-d", "6000", "-m", "1");
      assertThat(bob.awaitIncoming()).isEqualTo("sipp");
      bob.answer();
      Softphone.Media media = inCallWithAudio(bob, b);
      assertThat(media.audioEnergy()).as("SIPp's echo comes back over IPv6").isPositive();
      assertThat(b.eval(SELECTED_PAIR_JS).asText()).as("ICE over IPv6").matches(IPV6_PAIR);
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uac.exitValue()).as(tandem.output() + traces()).isZero();
    }
    assertThat(traces())
        .as("the 200 OK's SDP puts the relay on IPv6")
        .contains("c=IN IP6 ::1")
        .doesNotContain("IN IP4");
  }

  @Test
  void aBrowserCallsSippOverIpv6ThroughRtpengine() throws Exception {
    ns = NetworkNamespace.create();
    ns.enableBrowserIpv6Loopback();
    rtpengine = Rtpengine.start(dir, ns, List.of("127.0.0.1", "::1"));
    start(
        """
        backend: rtpengine
        rtpengine:
          host: 127.0.0.1
          port: %d
          sip-address-family: ip6
        """
            .formatted(rtpengine.ngPort));
    Process uas = sipp("-sn", "uas", "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "1");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      alice.dial("1000");
      Softphone.Media media = inCallWithAudio(alice, b);
      assertThat(media.audioEnergy()).as("SIPp's echo through rtpengine").isPositive();
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uas.exitValue()).as(tandem.output() + traces() + rtpengine.log()).isZero();
    }
    assertThat(traces())
        .as("rtpengine offers SIPp its IPv6 address (NG address family=IP6)")
        .contains("c=IN IP6 ::1")
        .doesNotContain("c=IN IP4");
  }

  @Test
  void sippOnIpv6CallsABrowserOnIpv4ThroughARelayOnBothFamilies() throws Exception {
    start(RELAY_BOTH, false);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Process uac =
          sipp(
              "[::1]:" + tandem.sipPort,
              "-sn", "uac", "-s", "bob",
              "-p", Integer.toString(FreePorts.next()),
              "-rtp_echo", "-d", "6000", "-m", "1");
      assertThat(bob.awaitIncoming()).isEqualTo("sipp");
      bob.answer();
      Softphone.Media media = inCallWithAudio(bob, b);
      assertThat(media.audioEnergy()).as("SIPp's echo, relayed IPv6 -> IPv4").isPositive();
      assertThat(b.eval(SELECTED_PAIR_JS).asText())
          .as("the browser has only IPv4 and meets the relay's IPv4 candidate")
          .isEqualTo("127.0.0.1 -> 127.0.0.1");
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(uac.exitValue()).as(tandem.output() + traces()).isZero();
    }
    assertThat(traces()).as("SIPp is answered on IPv6").contains("c=IN IP6 ::1");
  }

  @Test
  void aRelayWithoutIpv6AnswersAnIpv6OfferWith488WhoseWarningNamesTheLine() throws Exception {
    start(RELAY_V4, false);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone.signIn(b, tandem, "bob");
      Sipp.Result result =
          Sipp.uacOn(dir, ns, "::1", "uac-expect-488.xml", tandem.sipPort, "u1", 1, "-s", "bob");
      assertThat(result.exitCode()).as(result.output() + tandem.output()).isZero();
    }
    assertThat(tandem.output())
        .as("the log names the line")
        .contains("(c=IN IP6 ::1), and the relay has no IPv6 address (it has 127.0.0.1)");
  }

  private Softphone.Media inCallWithAudio(Softphone phone, Browser b) {
    try {
      phone.awaitCallState("In call");
      Softphone.Media media = phone.awaitAudioBothWays(null, 50);
      assertThat(media.dtlsState()).isEqualTo("connected");
      return media;
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "\n" + b.console() + "\n" + "\n" + tandem.output() + "\n" + traces(), e);
    }
  }

  /** SIPp's message traces (every SIP message it sent and received). */
  private String traces() {
    return Sipp.traces(dir);
  }

  private Process sipp(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", "::1", "-mi", "::1",
            "-mp", Integer.toString(FreePorts.consecutive(4)),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin", "-trace_msg", "-trace_err"));
    Process p =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sipp-" + sipps.size() + ".xml.out").toFile())
            .start();
    sipps.add(p);
    return p;
  }
}

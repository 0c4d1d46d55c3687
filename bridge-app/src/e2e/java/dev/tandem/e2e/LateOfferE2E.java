package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Late offer (RFC 3261 §13.2.1, RFC 3264 §5), as Cisco CUCM and many PBX trunks send it: SIPp's
 * INVITE to browser user alice has no SDP, the real Chromium makes the offer when alice answers,
 * the bridge's 200 carries it (rewritten by the embedded relay) and SIPp's ACK the answer; SIPp
 * echoes the audio, so what the browser receives went browser → relay → SIPp → relay → browser.
 */
@RealPeers({"chromium", "sipp"})
class LateOfferE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> sipps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    // the PBX that sends late offers is a destination, trusted by its address (docs/sip.md)
    Path config = dir.resolve("late-offer.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx: { host: 127.0.0.1, port: 5060, sources: [127.0.0.1] }
        """);
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
    } finally {
      ns.close();
    }
  }

  @Test
  void theBrowserOffersTheAckAnswersAndAudioFlowsBeforeAndAfterAReinviteWithoutSdp()
      throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      Process uac = sippUac("uac-late-offer.xml", "-rtp_echo");
      Softphone.Media before;
      try {
        assertThat(alice.awaitIncoming()).isEqualTo("sipp");
        alice.answer();
        alice.awaitCallState("In call");
        before = alice.awaitAudioBothWays(null, 50);
        assertThat(b.eval("window.tandemDemo.call.browserOffers").asBoolean())
            .as("call.incoming came without an offer")
            .isTrue();
        // SIPp's re-INVITE without SDP gets the bridge's offer; its ACK's answer (a new version)
        // comes to the browser as a re-offer, which the browser answers
        b.waitFor(
            "window.tandemDemo.call.pc.signalingState === 'stable'"
                + " && window.tandemDemo.call.pc.remoteDescription.type === 'offer'",
            Duration.ofSeconds(15));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + sippOutput(), e);
      }
      assertThat(before.dtlsState()).isEqualTo("connected");
      assertThat(before.audioEnergy()).as("the echo SIPp sends back is audible").isPositive();
      Softphone.Media after = alice.awaitAudioBothWays(alice.media(), 50);
      assertThat(after.packetsReceived()).isGreaterThan(before.packetsReceived());
      alice.awaitCallState("Ended: remote-hangup");
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).as("SIPp finished").isTrue();
      assertThat(uac.exitValue()).as(sippOutput()).isZero();
      // RFC 3264 §8: the re-INVITE's 200 offers the same session: the same o= line, version and all
      // (a 200 that JAIN-SIP retransmits before the ACK arrives shows in SIPp's log once more)
      List<String> origins = bridgeOriginLines();
      assertThat(origins).as("o= of the bridge's two offers").hasSizeGreaterThanOrEqualTo(2);
      assertThat(origins).as("o= of the bridge's two offers").containsOnly(origins.get(0));
    }
  }

  @Test
  void anAckWithoutTheAnswerEndsTheCallWithBye() throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      Process uac = sippUac("uac-late-offer-no-answer.xml");
      try {
        alice.awaitIncoming();
        alice.answer();
        alice.awaitCallState("Ended: failed");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + sippOutput(), e);
      }
      assertThat(uac.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its BYE").isTrue();
      assertThat(uac.exitValue()).as(sippOutput()).isZero();
    }
  }

  /** The o= lines of the SDP the bridge sent (SIPp's own are {@code o=phone}), in order. */
  private List<String> bridgeOriginLines() throws IOException {
    List<String> lines = new ArrayList<>();
    Pattern origin = Pattern.compile("(?m)^\\s*(o=.*)$");
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith("_messages.log")).toList()) {
        Matcher m = origin.matcher(Files.readString(f));
        while (m.find()) {
          if (!m.group(1).startsWith("o=phone")) {
            lines.add(m.group(1).strip());
          }
        }
      }
    }
    return lines;
  }

  /** SIPp as the caller of alice, in the namespace, for one call of {@code scenario}. */
  private Process sippUac(String scenario, String... extra) throws IOException {
    Path file = dir.resolve(scenario);
    try (var in = getClass().getResourceAsStream("/sipp/" + scenario)) {
      Files.copy(in, file);
    }
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of("127.0.0.1:" + tandem.sipPort, "-sf", file.toString(), "-s", "alice"));
    command.addAll(List.of("-p", Integer.toString(FreePorts.next()), "-m", "1"));
    command.addAll(List.of("-i", "127.0.0.1", "-mi", "127.0.0.1"));
    // -mp takes four consecutive ports (audio and video RTP/RTCP)
    command.addAll(List.of("-mp", Integer.toString(FreePorts.consecutive(4))));
    command.addAll(List.of("-cp", Integer.toString(FreePorts.next())));
    command.addAll(List.of("-nostdin", "-trace_err", "-trace_msg"));
    command.addAll(List.of(extra));
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(scenario + ".out").toFile())
            .start();
    sipps.add(process);
    return process;
  }

  private String sippOutput() {
    return Sipp.traces(dir) + "\n== tandem\n" + tandem.output();
  }
}

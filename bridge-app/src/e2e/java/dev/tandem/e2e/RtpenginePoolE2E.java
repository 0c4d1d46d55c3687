package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

/**
 * The bridge on a pool of two real rtpengines (own NG ports and media port ranges) calling a SIPp
 * UAS: calls go to both, every ended call is deleted from the rtpengine that held it (rtpengine-ctl
 * counts 0 sessions right after the hang-ups, not 30 s later), and when one rtpengine is killed
 * its call ends with the reason while new calls go to the other with no failure, and the bridge
 * stays ready. Synthetic browsers (a real Chromium offer over the WebSocket, no ICE/DTLS): this is
 * about the NG dialogue, which real browsers' audio through rtpengine proves elsewhere
 * (SipCallE2E).
 */
@RealPeers({"rtpengine", "sipp"})
class RtpenginePoolE2E {
  @TempDir Path dir;
  private Rtpengine a;
  private Rtpengine b;
  private Process uas;
  private TandemProcess tandem;
  private String offer;

  @BeforeEach
  void start() throws Exception {
    a = Rtpengine.start(Files.createDirectories(dir.resolve("a")), null);
    b = Rtpengine.start(Files.createDirectories(dir.resolve("b")), null);
    while (b.portMin == a.portMin) { // ranges are 100-port blocks: a different start is disjoint
      b.close();
      b = Rtpengine.start(dir.resolve("b"), null);
    }
    int sippPort = FreePorts.next();
    uas =
        new ProcessBuilder(
                Peers.require("sipp", "sip-tester").toString(), "-sn", "uas", "-i", "127.0.0.1", "-mi", "127.0.0.1",
                "-p", Integer.toString(sippPort), "-mp", Integer.toString(FreePorts.consecutive(4)),
                "-cp", Integer.toString(FreePorts.next()), "-nostdin")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sipp-uas.out").toFile())
            .start();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx: { host: 127.0.0.1, port: %d, transport: udp }
          dial-plan:
            - { name: extensions, pattern: "[0-9]{3,4}", destination: pbx }
          permissions:
            everyone: [extensions]
        media:
          backend: rtpengine
          rtpengine:
            instances:
              - { host: 127.0.0.1, port: %d }
              - { host: 127.0.0.1, port: %d }
            retransmit: 100ms
            timeout: 1s
            ping-interval: 300ms
        calls:
          max-per-user: 100
        """
            .formatted(sippPort, a.ngPort, b.ngPort));
    tandem = TandemProcess.start(dir, "--config", config.toString());
    tandem.awaitReady();
    try (InputStream in = getClass().getResourceAsStream("/sdp/e2e-rtpengine-1-chrome-offer.sdp")) {
      offer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (tandem != null) {
      tandem.close();
    }
    if (uas != null) {
      uas.destroy();
      if (!uas.waitFor(5, TimeUnit.SECONDS)) {
        uas.destroyForcibly();
      }
    }
    for (Rtpengine r : new Rtpengine[] {a, b}) {
      if (r != null) {
        r.close();
      }
    }
  }

  @Test
  void callsSpreadOverThePoolAreDeletedAndSurviveTheLossOfOneRtpengine() throws Exception {
    try (WsCaller alice = WsCaller.signIn(tandem.httpPort, "alice", "alice-dev")) {
      // 1. calls over both instances; each one deleted from the rtpengine that held it
      int onA = 0;
      for (int i = 0; i < 8; i++) {
        WsCaller.Outcome call = alice.call("1000", offer, Duration.ofSeconds(10));
        assertThat(call.answered()).as("call %d: %s", i, call.ended()).isTrue();
        onA += a.sessions();
        alice.hangUp(call.callId());
        alice.awaitEnded(call.callId(), Duration.ofSeconds(5));
      }
      assertThat(onA).as("weights 1:1 put some of 8 calls on each (1 in 128 they do not)").isBetween(1, 7);
      await("nothing left in either rtpengine")
          .atMost(Duration.ofSeconds(3))
          .until(() -> a.sessions() == 0 && b.sessions() == 0);

      // 2. a call up on one instance when that instance dies
      WsCaller.Outcome held = alice.call("1000", offer, Duration.ofSeconds(10));
      assertThat(held.answered()).isTrue();
      Rtpengine holder = a.sessions() == 1 ? a : b;
      Rtpengine other = holder == a ? b : a;
      holder.kill();

      // new calls go to the other one, none fails, and the bridge stays ready
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        WsCaller.Outcome call = alice.call("1000", offer, Duration.ofSeconds(10));
        if (!call.answered()) {
          failures.add(String.valueOf(call.ended()));
          continue;
        }
        assertThat(other.sessions()).as("the call is on the live rtpengine").isGreaterThanOrEqualTo(1);
        alice.hangUp(call.callId());
        alice.awaitEnded(call.callId(), Duration.ofSeconds(5));
      }
      assertThat(failures).as("new calls after the kill").isEmpty();
      assertThat(tandem.get("/readyz").statusCode()).isEqualTo(200);

      // the call on the dead one ends with the reason at its next media check, no hang
      JsonNode ended = alice.awaitEnded(held.callId(), Duration.ofSeconds(20));
      assertThat(ended.path("reason").asText()).isEqualTo("failed");
      await("the live rtpengine holds nothing after the calls")
          .atMost(Duration.ofSeconds(3))
          .until(() -> other.sessions() == 0);
    }
    String log = tandem.output();
    assertThat(log.split("is not answering \\(", -1).length - 1)
        .as("the instance's death is logged once:\n%s", log)
        .isEqualTo(1);
    assertThat(log).contains("which relays this call, is not answering; ending the call");
    assertThat(log).doesNotContain("Call-ID not found");
  }
}

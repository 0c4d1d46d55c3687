package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
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
 * Core's part of video calls against real peers, on the embedded relay: a SIP video phone's key-frame
 * request by SIP INFO {@code picture_fast_update} (RFC 5168) on a call with Chromium, and a
 * Chromium video call to a destination with {@code video: false}, which must reach SIP without
 * video and still carry audio both ways. (The video media itself is VideoE2E's.)
 */
@RealPeers({"chromium", "sipp"})
class VideoPolicyE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> sipps = new ArrayList<>();
  private int roomPort;
  private int pbxPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    roomPort = FreePorts.next();
    pbxPort = FreePorts.next();
    int relayPorts = FreePorts.consecutive(40);
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            room:
              host: 127.0.0.1
              port: %d
            pbx:
              host: 127.0.0.1
              port: %d
              video: false
          dial-plan:
            - name: rooms
              pattern: "7[0-9]{3}"
              destination: room
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
          permissions:
            everyone: [rooms, extensions]
        media:
          backend: embedded
          embedded:
            port-min: %d
            port-max: %d
        """
            .formatted(roomPort, pbxPort, relayPorts, relayPorts + 39));
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
    } finally {
      ns.close();
    }
  }

  @Test
  void aVideoPhonesInfoPictureFastUpdateIsTakenAndAnotherInfoBodyGets415() throws Exception {
    Process room = uas(roomPort, "uas-video-info-keyframe.xml", "-rtp_echo");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      b.eval("(document.getElementById('video').checked = true, true)");
      alice.dial("7001");
      try {
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 25);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + traces(), e);
      }
      assertThat(b.eval("window.tandemDemo.call.video").asBoolean())
          .as("the browser sends its camera")
          .isTrue();
      await("SIPp got 200 to its picture_fast_update and 415 to the text/plain INFO")
          .atMost(Duration.ofSeconds(10))
          .until(() -> Sipp.traces(dir).contains("SIP/2.0 415"));
      assertThat(alice.callState()).as("the INFOs leave the call alone").isEqualTo("In call");
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(room.waitFor(15, TimeUnit.SECONDS)).as("SIPp got its answers and BYE").isTrue();
      assertThat(room.exitValue()).as(traces()).isZero();
    }
  }

  @Test
  void aVideoCallToAnAudioOnlyDestinationReachesItWithoutVideoAndCarriesAudio() throws Exception {
    Process pbx = uas(pbxPort, "uas-answer.xml", "-rtp_echo");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      b.eval("(document.getElementById('video').checked = true, true)");
      alice.dial("1000");
      try {
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + b.console() + traces(), e);
      }
      String invite = Sipp.traces(dir);
      assertThat(invite).contains("INVITE sip:").contains("m=audio ");
      assertThat(invite).as("no video offered to the audio-only PBX").doesNotContainPattern(
          "m=video [1-9]");
      assertThat(
              b.eval(
                      "window.tandemDemo.call.pc.remoteDescription.sdp.split('\\r\\n')"
                          + ".find((l) => l.startsWith('m=video'))")
                  .asText())
          .as("the browser's video refused in place")
          .startsWith("m=video 0 ");
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(pbx.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(pbx.exitValue()).as(traces()).isZero();
    }
  }

  private Process uas(int port, String scenario, String... extra) throws Exception {
    Process sipp = Sipp.uas(dir, ns, port, scenario, extra);
    sipps.add(sipp);
    return sipp;
  }

  private String traces() {
    return Sipp.traces(dir) + "\n== tandem\n" + tandem.output();
  }
}

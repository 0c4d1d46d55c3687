package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.media.rtpengine.NgClient;
import dev.tandem.media.rtpengine.NgException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NG client against a real rtpengine: a WebRTC offer (a real Chromium capture) becomes plain
 * RTP for the SIP side and a plain answer (SIPp's) becomes a WebRTC answer, with the flags
 * shared/PEERS.md found to work with browsers; errors and timeouts come back typed.
 */
@RealPeers("rtpengine")
class RtpengineNgE2E {
  @TempDir static Path dir;
  private static Rtpengine rtpengine;
  private static NgClient client;

  @BeforeAll
  static void start() throws Exception {
    rtpengine = Rtpengine.start(dir, null);
    client = rtpengine.client();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (rtpengine != null) {
      rtpengine.close();
    }
  }

  private static String sdp(String name) throws Exception {
    try (InputStream in = RtpengineNgE2E.class.getResourceAsStream("/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Object> ask(Map<String, Object> command) throws Exception {
    return client.request(command).get(5, TimeUnit.SECONDS);
  }

  @Test
  void answersPing() throws Exception {
    assertThat(ask(Map.of("command", "ping"))).containsEntry("result", "pong");
  }

  @Test
  void translatesAWebRtcOfferToPlainRtpAndThePlainAnswerBack() throws Exception {
    String callId = "e2e-" + System.nanoTime();
    Map<String, Object> offer = new LinkedHashMap<>();
    offer.put("command", "offer");
    offer.put("call-id", callId);
    offer.put("from-tag", "browser");
    offer.put("sdp", sdp("e2e-rtpengine-1-chrome-offer.sdp"));
    offer.put("ICE", "remove");
    offer.put("transport-protocol", "RTP/AVP");
    offer.put("rtcp-mux", List.of("demux"));
    Map<String, Object> offered = ask(offer);
    String plain = (String) offered.get("sdp");
    assertThat(plain).contains("RTP/AVP").contains("c=IN IP4 127.0.0.1").doesNotContain("a=ice-ufrag").doesNotContain("a=fingerprint");
    int port = mediaPort(plain);
    assertThat(port).isBetween(rtpengine.portMin, rtpengine.portMax);

    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("command", "answer");
    answer.put("call-id", callId);
    answer.put("from-tag", "browser");
    answer.put("to-tag", "sip");
    answer.put("sdp", sdp("e2e-rtpengine-3-sipp-answer.sdp"));
    answer.put("ICE", "force");
    answer.put("transport-protocol", "UDP/TLS/RTP/SAVPF");
    answer.put("rtcp-mux", List.of("require"));
    answer.put("flags", List.of("generate-mid"));
    String webrtc = (String) ask(answer).get("sdp");
    assertThat(webrtc).contains("UDP/TLS/RTP/SAVPF").contains("a=ice-ufrag:").contains("a=fingerprint:").contains("a=rtcp-mux").contains("PCMA/8000");

    Map<String, Object> query = ask(Map.of("command", "query", "call-id", callId));
    assertThat(query).containsKey("tags");
    assertThat(ask(Map.of("command", "delete", "call-id", callId, "from-tag", "browser"))).containsEntry("result", "ok");
  }

  @Test
  void reportsRtpengineErrorsWithTheirReason() throws Exception {
    Map<String, Object> unknownCall =
        Map.of("command", "answer", "call-id", "no-such-call", "from-tag", "a", "to-tag", "b", "sdp", sdp("e2e-rtpengine-3-sipp-answer.sdp"));
    assertThatThrownBy(() -> client.request(unknownCall).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(NgException.class)
        .hasMessageContaining("Unknown call-id")
        .extracting(e -> ((NgException) e).kind())
        .isEqualTo(NgException.Kind.ERROR);
    Map<String, Object> garbage = Map.of("command", "offer", "call-id", "garbage", "from-tag", "a", "sdp", "this is not SDP");
    assertThatThrownBy(() -> client.request(garbage).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(NgException.class)
        .hasMessageContaining("SDP")
        .extracting(e -> ((NgException) e).kind())
        .isEqualTo(NgException.Kind.ERROR);
  }

  @Test
  void timesOutWhenNoRtpengineListens() throws Exception {
    try (NgClient nobody = new NgClient(new InetSocketAddress("127.0.0.1", FreePorts.next()), Duration.ofMillis(100), Duration.ofMillis(500))) {
      assertThatThrownBy(() -> nobody.request(Map.of("command", "ping")).get(5, TimeUnit.SECONDS))
          .cause()
          .extracting(e -> ((NgException) e).kind())
          .isEqualTo(NgException.Kind.TIMEOUT);
    }
  }

  private static int mediaPort(String sdp) {
    Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
    assertThat(m.find()).as("m=audio in %s", sdp).isTrue();
    return Integer.parseInt(m.group(1));
  }
}

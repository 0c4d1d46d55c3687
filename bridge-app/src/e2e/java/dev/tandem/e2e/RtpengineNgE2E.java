package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.media.rtpengine.NgClient;
import dev.tandem.media.rtpengine.RtpengineBackend;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.SipMedia;
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
  void aVideoOfferCrossesAsItsOwnPortsAndVideoOffRefusesItOnBothSides() throws Exception {
    String chrome = sdp("chrome-offer-audio-video-datachannel.sdp");
    RtpengineBackend backend = new RtpengineBackend(client, "127.0.0.1:" + rtpengine.ngPort);
    CallId withVideo = new CallId("e2e-video-" + System.nanoTime());
    String toSip = backend.offer(withVideo, Side.BROWSER, chrome, SipMedia.PLAIN).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(toSip)
        .contains("m=audio ", "m=video ", "a=rtpmap:96 VP8/90000", "a=rtpmap:102 H264/90000", "a=rtcp-fb:96 nack pli")
        .contains("m=application 0 UDP/DTLS/SCTP")
        .doesNotContain("a=group", "rtx/90000", "ulpfec", "goog-remb", "a=extmap");
    assertThat(port(toSip, "video")).as("video on ports of its own").isNotEqualTo(port(toSip, "audio")).isPositive();
    String toBrowser = backend.answer(withVideo, Side.SIP, VIDEO_ANSWER).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(toBrowser).contains("UDP/TLS/RTP/SAVPF 96", "a=rtpmap:96 VP8/90000").doesNotContain("a=group");
    assertThat(port(toBrowser, "video")).isPositive();
    backend.release(withVideo).toCompletableFuture().get(5, TimeUnit.SECONDS);

    CallId noVideo = new CallId("e2e-novideo-" + System.nanoTime());
    SipMedia audioOnly = new SipMedia(MediaEncryption.PLAIN, false);
    String refused = backend.offer(noVideo, Side.BROWSER, chrome, audioOnly).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(port(refused, "audio")).isPositive();
    assertThat(port(refused, "video")).as("video refused toward SIP").isZero();
    String answer = VIDEO_ANSWER.replace("m=video 42552 ", "m=video 0 ");
    String audioAnswer = backend.answer(noVideo, Side.SIP, answer).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(port(audioAnswer, "audio")).isPositive();
    assertThat(port(audioAnswer, "video")).as("and in the browser's answer").isZero();
    backend.release(noVideo).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** baresip's answer with VP8 (its form: RTP/AVP, no feedback). */
  private static final String VIDEO_ANSWER =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 42550 RTP/AVP 0 126\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:126 telephone-event/8000\r\na=sendrecv\r\n"
          + "m=video 42552 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:96 max-fs=3600\r\na=sendrecv\r\n"
          + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n";

  private static int port(String sdp, String media) {
    Matcher m = Pattern.compile("m=" + media + " (\\d+) ").matcher(sdp);
    assertThat(m.find()).as("m=%s in %s", media, sdp).isTrue();
    return Integer.parseInt(m.group(1));
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

package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.SipMedia;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The NG dictionaries the backend sends, against an in-JVM UDP peer that decodes them and answers
 * like rtpengine (the real rtpengine is in the e2e suite).
 */
class RtpengineBackendTest {
  private DatagramSocket peer;
  private Thread peerThread;
  private final List<Map<String, Object>> commands = new ArrayList<>();
  private Function<Map<String, Object>, Map<String, Object>> answers;
  private NgClient client;
  private RtpengineBackend backend;
  private final CallId call = new CallId("call-1");

  @BeforeEach
  void start() throws Exception {
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peerThread =
        new Thread(
            () -> {
              byte[] buffer = new byte[65535];
              while (!peer.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                  peer.receive(packet);
                  String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
                  int space = text.indexOf(' ');
                  byte[] body = text.substring(space + 1).getBytes(StandardCharsets.UTF_8);
                  @SuppressWarnings("unchecked")
                  Map<String, Object> command =
                      (Map<String, Object>) Bencode.decode(body, 0, body.length);
                  synchronized (commands) {
                    commands.add(command);
                  }
                  byte[] answer = (text.substring(0, space) + " ").getBytes(StandardCharsets.UTF_8);
                  byte[] encoded = Bencode.encode(answers.apply(command));
                  byte[] out = new byte[answer.length + encoded.length];
                  System.arraycopy(answer, 0, out, 0, answer.length);
                  System.arraycopy(encoded, 0, out, answer.length, encoded.length);
                  peer.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                } catch (Exception e) {
                  return;
                }
              }
            });
    peerThread.start();
    answers = command -> Map.of("result", "ok", "sdp", "rewritten " + command.get("command"));
    client =
        new NgClient(
            (InetSocketAddress) peer.getLocalSocketAddress(),
            Duration.ofMillis(200),
            Duration.ofSeconds(2));
    backend = new RtpengineBackend(client, "127.0.0.1:2223");
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    peer.close();
    peerThread.join(2000);
  }

  private Map<String, Object> command(int index) {
    synchronized (commands) {
      return commands.get(index);
    }
  }

  @Test
  void aBrowserOfferGoesToSipAsPlainRtpAndTheSipAnswerBackAsWebRtc() throws Exception {
    assertThat(
            backend
                .offer(call, Side.BROWSER, "webrtc offer")
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS))
        .isEqualTo("rewritten offer");
    assertThat(
            backend
                .answer(call, Side.SIP, "plain answer")
                .toCompletableFuture()
                .get(2, TimeUnit.SECONDS))
        .isEqualTo("rewritten answer");

    Map<String, Object> offer = command(0);
    assertThat(offer)
        .containsEntry("command", "offer")
        .containsEntry("call-id", "call-1")
        .containsEntry("sdp", "webrtc offer")
        .containsEntry("ICE", "remove")
        .containsEntry("transport-protocol", "RTP/AVP")
        .containsEntry("rtcp-mux", List.of("demux"))
        .doesNotContainKey("to-tag");
    String browserTag = (String) offer.get("from-tag");
    assertThat(browserTag).startsWith("browser-");

    Map<String, Object> answer = command(1);
    assertThat(answer)
        .containsEntry("command", "answer")
        .containsEntry("from-tag", browserTag)
        .containsEntry("ICE", "force")
        .containsEntry("transport-protocol", "UDP/TLS/RTP/SAVPF")
        .containsEntry("rtcp-mux", List.of("require"))
        .containsEntry("flags", List.of("generate-mid"))
        .doesNotContainKey("DTLS"); // shared/PEERS.md: DTLS=passive hangs the browser
    assertThat((String) answer.get("to-tag")).startsWith("sip-");
    assertThat(offer)
        .as("rtpengine keeps the browser's family")
        .doesNotContainKey("address family");
  }

  @Test
  void offersTowardSipNameTheConfiguredAddressFamilyAndNothingElseDoes() throws Exception {
    RtpengineBackend v6 = new RtpengineBackend(client, "127.0.0.1:2223", SipAddressFamily.IP6);
    v6.offer(call, Side.BROWSER, "webrtc offer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    v6.answer(call, Side.SIP, "plain answer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    CallId inbound = new CallId("call-2");
    v6.offer(inbound, Side.SIP, "plain offer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(command(0))
        .containsEntry("address family", "IP6")
        .containsEntry("transport-protocol", "RTP/AVP");
    assertThat(command(1)).as("an answer follows the SIP peer").doesNotContainKey("address family");
    assertThat(command(2))
        .as("an offer toward the browser carries a candidate per family anyway")
        .doesNotContainKey("address family")
        .containsEntry("ICE", "force");
  }

  @Test
  void aSipOfferGoesToTheBrowserAsWebRtcAndAReOfferKeepsBothTags() throws Exception {
    backend.offer(call, Side.SIP, "plain offer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    backend
        .answer(call, Side.BROWSER, "webrtc answer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend.offer(call, Side.SIP, "plain re-offer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(command(0))
        .containsEntry("ICE", "force")
        .containsEntry("from-tag", command(1).get("from-tag"));
    assertThat(command(1)).containsEntry("transport-protocol", "RTP/AVP");
    assertThat(command(2))
        .containsEntry("from-tag", command(0).get("from-tag"))
        .containsEntry("to-tag", command(1).get("to-tag"));
  }

  @Test
  void releaseDeletesTheCallOnce() throws Exception {
    backend
        .offer(call, Side.BROWSER, "webrtc offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS);
    backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS);
    // the release's stage completes once its delete is sent: a later request arrives after it
    backend.query(call).get(2, TimeUnit.SECONDS);
    assertThat(commands)
        .extracting(c -> c.get("command"))
        .containsExactly("offer", "query", "delete", "query");
    assertThat(command(2))
        .as("rtpengine keys the call by call-id and the first offer's from-tag (NG docs)")
        .containsEntry("call-id", "call-1")
        .containsEntry("from-tag", command(0).get("from-tag"))
        .as("no 30 s of rtpengine's default delete-delay holding the ports")
        .containsEntry("delete delay", 0L);
  }

  @Test
  void aCallThatCalleeReOfferedIsStillDeletedByTheFirstOffersTag() throws Exception {
    backend.offer(call, Side.SIP, "plain offer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    backend
        .answer(call, Side.BROWSER, "webrtc answer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend
        .offer(call, Side.BROWSER, "webrtc re-offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS);
    backend.query(call).get(2, TimeUnit.SECONDS);
    assertThat(command(3)).as("the final figures first").containsEntry("command", "query");
    assertThat(command(4))
        .containsEntry("command", "delete")
        .containsEntry("from-tag", command(0).get("from-tag"));
    assertThat((String) command(4).get("from-tag")).startsWith("sip-");
  }

  @Test
  void offersTowardSipKeepOnlyThePassThroughCodecsAndNoWebRtcAttributes() throws Exception {
    String rtpengineSdp =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=extmap-allow-mixed\r\n"
            + "a=msid-semantic: WMS s\r\nm=audio 30000 RTP/AVP 9 0 8 126\r\n"
            + "c=IN IP4 127.0.0.1\r\na=msid:s t\r\na=rtcp-rsize\r\na=rtcp-xr:rcvr-rtt=all\r\n"
            + "a=ssrc:1 cname:x\r\na=mid:0\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:126 telephone-event/8000\r\na=sendrecv\r\n"
            + "a=rtcp:30001\r\n";
    answers = command -> Map.of("result", "ok", "sdp", rtpengineSdp);
    String offer =
        backend
            .offer(call, Side.BROWSER, "webrtc offer")
            .toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
    assertThat(command(0))
        .containsEntry(
            "codec",
            Map.of(
                "strip",
                List.of("all"),
                "except",
                List.of(
                    "PCMU/8000",
                    "PCMA/8000",
                    "G722/8000",
                    "telephone-event/8000",
                    "VP8/90000",
                    "VP9/90000",
                    "H264/90000")))
        .containsEntry("flags", List.of("strip-extmap"));
    assertThat(offer)
        .contains(
            "m=audio 30000 RTP/AVP 9 0 8 126", "a=rtpmap:126 telephone-event/8000", "a=rtcp:30001")
        .contains("a=sendrecv")
        .doesNotContain("msid", "ssrc", "a=mid", "rtcp-rsize", "rtcp-xr", "extmap");
  }

  @Test
  void videoOffRefusesTheVideoLineOfEitherSidesOfferBeforeRtpengineSeesIt() throws Exception {
    String browserOffer = SipSdpTrimTest.resource("chrome-offer-audio-video-datachannel.sdp");
    SipMedia noVideo = new SipMedia(MediaEncryption.PLAIN, false);
    backend
        .offer(call, Side.BROWSER, browserOffer, noVideo)
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    assertThat((String) command(0).get("sdp"))
        .contains("m=audio 46522 UDP/TLS/RTP/SAVPF", "m=video 0 UDP/TLS/RTP/SAVPF 96 97")
        .contains("m=application 0 UDP/DTLS/SCTP");

    String sipOffer =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            + "m=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n";
    CallId other = new CallId("call-2");
    backend
        .offer(other, Side.SIP, sipOffer, noVideo)
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend
        .offer(new CallId("call-3"), Side.SIP, sipOffer, SipMedia.PLAIN)
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    assertThat((String) command(1).get("sdp")).contains("m=audio 4000 ", "m=video 0 RTP/AVP 96");
    assertThat(command(2)).as("video on: the offer as it came").containsEntry("sdp", sipOffer);
  }

  @Test
  void runningOutOfPortsFailsTheCallWithAClearReason() {
    answers = command -> Map.of("result", "error", "error-reason", "Ran out of ports");
    assertThatThrownBy(
            () -> backend.offer(call, Side.BROWSER, "webrtc offer").toCompletableFuture().join())
        .cause()
        .isInstanceOf(MediaException.class)
        .hasMessageContaining("has no free media ports")
        .hasMessageContaining("Ran out of ports")
        .matches(e -> !((MediaException) e).badSdp(), "not the SDP's fault (500, not 488)");
  }

  @Test
  void activityCountsThePacketsOfEachSidesTag() throws Exception {
    backend
        .offer(call, Side.BROWSER, "webrtc offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend.answer(call, Side.SIP, "plain answer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    String browserTag = (String) command(0).get("from-tag");
    String sipTag = (String) command(1).get("to-tag");
    answers =
        command ->
            Map.of(
                "result",
                "ok",
                "tags",
                Map.of(
                    browserTag, monologue(120, 3),
                    sipTag, monologue(250, 0)));
    MediaActivity activity = backend.activity(call).toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(activity).isEqualTo(new MediaActivity(123, 250));
    assertThat(command(2)).containsEntry("command", "query").containsEntry("call-id", "call-1");
  }

  @Test
  void releaseReportsThePacketsAndBytesRtpengineCountedFromEachSide() throws Exception {
    backend
        .offer(call, Side.BROWSER, "webrtc offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    backend.answer(call, Side.SIP, "plain answer").toCompletableFuture().get(2, TimeUnit.SECONDS);
    String browserTag = (String) command(0).get("from-tag");
    String sipTag = (String) command(1).get("to-tag");
    answers =
        command ->
            Map.of(
                "result",
                "ok",
                "tags",
                Map.of(browserTag, monologue(120, 3), sipTag, monologue(250, 0)));
    MediaStats stats =
        backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS).orElseThrow();
    assertThat(command(2)).containsEntry("command", "query");
    backend.query(call).get(2, TimeUnit.SECONDS); // answered after the delete has arrived
    assertThat(command(3)).containsEntry("command", "delete").containsEntry("call-id", "call-1");
    assertThat(stats.fromBrowser().packets()).isEqualTo(123);
    assertThat(stats.fromBrowser().bytes()).isEqualTo(120 * 172);
    assertThat(stats.fromSip().packets()).isEqualTo(250);
    assertThat(stats.fromSip().packetsLost()).isEmpty();
    assertThat(backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS))
        .as("a second release: nothing to report")
        .isEmpty();
  }

  @Test
  void aFailedQueryReportsNoFiguresAndTheCallIsStillDeleted() throws Exception {
    backend
        .offer(call, Side.BROWSER, "webrtc offer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    answers = command -> Map.of("result", "error", "error-reason", "Call-ID not found");
    assertThat(backend.release(call).toCompletableFuture().get(2, TimeUnit.SECONDS)).isEmpty();
    backend.query(call).exceptionally(e -> null).get(2, TimeUnit.SECONDS);
    assertThat(commands)
        .extracting(c -> c.get("command"))
        .containsExactly("offer", "query", "delete", "query");
  }

  /** One tag of a {@code query} answer: an RTP and an RTCP stream with their packet counts. */
  private static Map<String, Object> monologue(long rtp, long rtcp) {
    return Map.of(
        "medias",
        List.of(
            Map.of(
                "streams",
                List.of(
                    Map.of("stats", Map.of("packets", rtp, "bytes", rtp * 172)),
                    Map.of("stats", Map.of("packets", rtcp))))));
  }

  @Test
  void rtpengineErrorsBecomeMediaExceptionsWithTheReason() {
    answers = command -> Map.of("result", "error", "error-reason", "Failed to parse SDP");
    assertThatThrownBy(
            () -> backend.offer(call, Side.BROWSER, "garbage").toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(MediaException.class)
        .hasMessageContaining("Failed to parse SDP")
        .matches(e -> ((MediaException) e).badSdp(), "counts as bad SDP (488)");
    assertThatThrownBy(() -> backend.activity(new CallId("unknown")).toCompletableFuture().join())
        .cause()
        .isInstanceOf(MediaException.class);
  }

  // --- issue 15: SDES-SRTP toward SIP ---

  private static final String KEY =
      "inline:" + java.util.Base64.getEncoder().encodeToString(new byte[30]);
  private static final String PLAIN =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  private static final String SAVP =
      PLAIN.replace("RTP/AVP", "RTP/SAVP") + "a=crypto:5 AES_CM_128_HMAC_SHA1_80 " + KEY + "\r\n";

  @Test
  void sdesOffersTowardSipCarryOnlyTheBridgesSuitesAndAPlainAnswerFailsRequired() throws Exception {
    backend
        .offer(
            call,
            Side.BROWSER,
            "webrtc offer",
            dev.tandem.sdp.translate.SipMedia.of(
                dev.tandem.sdp.translate.MediaEncryption.SDES_REQUIRED))
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    @SuppressWarnings("unchecked")
    List<String> sdes = (List<String>) command(0).get("SDES");
    assertThat(command(0))
        .containsEntry("transport-protocol", "RTP/SAVP")
        .containsEntry("DTLS", "off");
    assertThat(sdes)
        .hasSize(11)
        .allMatch(f -> f.startsWith("no-"))
        .contains("no-AES_CM_128_HMAC_SHA1_32")
        .doesNotContain("no-AES_CM_128_HMAC_SHA1_80");
    assertThatThrownBy(
            () ->
                backend
                    .answer(call, Side.SIP, PLAIN)
                    .toCompletableFuture()
                    .get(2, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MediaException.class)
        .hasMessageContaining(
            "no SRTP in the answer (RTP/AVP), but media-encryption is sdes-required");
    assertThat(commands).as("rtpengine never saw the plain answer").hasSize(1);
  }

  @Test
  void anSavpOfferFromSipIsAnsweredWithItsProfileAndAPlainOneToRequiredIsRefused()
      throws Exception {
    backend.offer(call, Side.SIP, SAVP).toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(command(0)).containsEntry("SDES", List.of("off"));
    backend
        .answer(call, Side.BROWSER, "webrtc answer")
        .toCompletableFuture()
        .get(2, TimeUnit.SECONDS);
    assertThat(command(1))
        .as("RFC 3264: the answer keeps RTP/SAVP, so rtpengine writes its key")
        .containsEntry("transport-protocol", "RTP/SAVP");
    assertThatThrownBy(
            () ->
                backend
                    .offer(
                        new CallId("call-9"),
                        Side.SIP,
                        PLAIN,
                        dev.tandem.sdp.translate.SipMedia.of(
                            dev.tandem.sdp.translate.MediaEncryption.SDES_REQUIRED))
                    .toCompletableFuture()
                    .get(2, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MediaException.class)
        .hasMessageContaining("SRTP is required");
    assertThatThrownBy(
            () ->
                backend
                    .offer(new CallId("call-10"), Side.SIP, PLAIN.replace("RTP/AVP", "RTP/SAVP"))
                    .toCompletableFuture()
                    .get(2, TimeUnit.SECONDS))
        .hasMessageContaining("RTP/SAVP offered without an a=crypto line");
    assertThat(commands).hasSize(2);
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.e2e.Browser.Kind;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.PlainMedia;
import dev.tandem.sdp.translate.SdpTranslator;
import dev.tandem.sdp.translate.Translation;
import dev.tandem.sdp.translate.TranslationOptions;
import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * sdp-translate's video (issue 19) against real browsers' own {@code setRemoteDescription}: a
 * browser's audio+video offer goes to SIP and the SIP side's answer comes back accepted; a SIP
 * phone's audio+video offer is accepted and answered back; and the re-offers browsers are strict
 * about — a SIP re-INVITE removing video, then adding it again, and a browser turning its camera
 * on mid-call — keep every m-line and mid the browser knows. On the SIP side, a real SIP video
 * phone (baresip with vp8 and fakevideo) answers the plain offer translated from the browser's
 * with VP8, and the browser takes that answer. No media flows (EmbeddedRelay and VideoE2E carry
 * it); the fake camera and microphone only give the browser tracks to offer.
 */
@RealPeers({"chromium", "firefox-esr", "baresip", "sipp"})
class VideoSdpTranslationE2E {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** baresip 1.0.0's audio+video offer (sdp-translate's baresip-offer-audio-video-vp8.sdp). */
  private static final String SIP_AV_OFFER =
      "v=0\r\no=- 1642626591 1067886388 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 43060 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\na=ptime:20\r\n"
          + "m=video 43020 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:96 max-fs=3600\r\n"
          + "a=sendrecv\r\na=rtcp-fb:* nack pli\r\n";

  /** A SIP phone's answer to an audio+video offer: PCMU, VP8 under its own number 100. */
  private static final String SIP_AV_ANSWER =
      "v=0\r\no=bob 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
          + "m=video 6004 RTP/AVP 100\r\na=rtpmap:100 VP8/90000\r\na=rtcp-fb:* nack pli\r\n";

  private static final String SIP_AUDIO_ANSWER =
      SIP_AV_ANSWER.substring(0, SIP_AV_ANSWER.indexOf("m=video"));

  private static final PlainMedia PLAIN =
      new PlainMedia(
          PlainEndpoint.of("127.0.0.1", 30000), Optional.of(PlainEndpoint.of("127.0.0.1", 30002)));
  private static final WebRtcEndpoint WEBRTC =
      new WebRtcEndpoint(
          "127.0.0.1",
          40000,
          "Tnd1",
          "TandemRelayPassword0123",
          Fingerprint.of("sha-256", new byte[32]),
          Setup.ACTIVE);

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());

  @BeforeEach
  void startBridge() throws Exception {
    ns = NetworkNamespace.create();
    tandem = TandemProcess.start(dir, ns);
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private Browser open(Kind kind, boolean camera) throws Exception {
    Browser browser = Browser.launch(kind, kind.name().toLowerCase(), ns, dir);
    browser.open("http://127.0.0.1:" + tandem.httpPort + "/");
    browser.eval(
        "(async () => { window.pc = new RTCPeerConnection();"
            + " const s = await navigator.mediaDevices.getUserMedia({audio: true, video: "
            + camera
            + "}); s.getTracks().forEach(t => pc.addTrack(t, s)); return true; })()");
    return browser;
  }

  private static SessionDescription createOffer(Browser browser) throws Exception {
    return SessionDescription.parse(
        browser
            .eval(
                "(async () => { const o = await pc.createOffer(); await pc.setLocalDescription(o);"
                    + " return pc.localDescription.sdp; })()")
            .asText());
  }

  private static void acceptAnswer(Browser browser, Translation answer) throws Exception {
    String state =
        browser
            .eval(
                "(async () => { await pc.setRemoteDescription({type: 'answer', sdp: "
                    + JSON.writeValueAsString(answer.sdp().toString())
                    + "}); return pc.signalingState; })()")
            .asText();
    assertThat(state).as(browser.console()).isEqualTo("stable");
  }

  /** The browser takes our offer and answers it; its answer. */
  private static SessionDescription answer(Browser browser, Translation offer) throws Exception {
    return SessionDescription.parse(
        browser
            .eval(
                "(async () => { await pc.setRemoteDescription({type: 'offer', sdp: "
                    + JSON.writeValueAsString(offer.sdp().toString())
                    + "}); const a = await pc.createAnswer(); await pc.setLocalDescription(a);"
                    + " return pc.localDescription.sdp; })()")
            .asText());
  }

  private static int browserVp8(SessionDescription offer) {
    MediaDescription video =
        offer.media().stream()
            .filter(m -> m.media().media().equals("video"))
            .findFirst()
            .orElseThrow();
    return video.codecs().entrySet().stream()
        .filter(e -> e.getValue().sameAs(Codec.VP8))
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBrowsersVideoReachesSipAndTheSipAnswerIsAccepted(Kind kind) throws Exception {
    try (Browser browser = open(kind, true)) {
      SessionDescription offer = createOffer(browser);
      Translation plain = translator.toPlainOffer(offer, PLAIN, List.of());
      assertThat(plain.sdp().media()).hasSize(2);
      MediaDescription video = plain.sdp().media().get(1);
      assertThat(video.media().toValue()).startsWith("video 30002 RTP/AVP ");
      assertThat(video.codecs().values()).extracting(Codec::name).contains("VP8");

      Translation answer =
          translator.toWebRtcAnswer(SessionDescription.parse(SIP_AV_ANSWER), offer, WEBRTC);
      acceptAnswer(browser, answer);
      assertThat(browser.eval("pc.getTransceivers().map(t => t.currentDirection).join()").asText())
          .isEqualTo("sendrecv,sendrecv");
      assertThat(answer.video().toSip(browserVp8(offer))).isEqualTo(100);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aSipPhonesVideoIsAcceptedAndReInvitesRemoveAndAddItAgain(Kind kind) throws Exception {
    try (Browser browser = open(kind, true)) {
      SessionDescription sipOffer = SessionDescription.parse(SIP_AV_OFFER);
      SessionDescription first = answer(browser, translator.toWebRtcOffer(sipOffer, WEBRTC, true));
      assertThat(first.media()).hasSize(2);
      assertThat(first.media().get(1).isRejected()).isFalse();
      Translation back = translator.toPlainAnswer(first, sipOffer, PLAIN, Optional.empty());
      assertThat(back.sdp().media().get(1).media().toValue()).isEqualTo("video 30002 RTP/AVP 96");
      assertThat(back.video().toSip(96)).isEqualTo(96);

      // re-INVITE without video (port 0): the browser keeps both m-lines, video refused
      SessionDescription noVideo =
          SessionDescription.parse(SIP_AV_OFFER.replace("m=video 43020 ", "m=video 0 "));
      SessionDescription second =
          answer(browser, translator.toWebRtcOffer(noVideo, WEBRTC, true, Optional.of(first)));
      assertThat(second.media()).hasSize(2);
      assertThat(second.media().get(1).isRejected()).isTrue();
      assertThat(
              translator
                  .toPlainAnswer(second, noVideo, PLAIN, Optional.empty())
                  .sdp()
                  .media()
                  .get(1)
                  .isRejected())
          .isTrue();

      // re-INVITE with video again: appended under a new mid, accepted
      SessionDescription third =
          answer(browser, translator.toWebRtcOffer(sipOffer, WEBRTC, true, Optional.of(second)));
      assertThat(third.media()).hasSize(3);
      assertThat(third.media().get(2).isRejected()).isFalse();
      assertThat(
              translator
                  .toPlainAnswer(third, sipOffer, PLAIN, Optional.empty())
                  .sdp()
                  .media()
                  .get(1)
                  .media()
                  .port())
          .isEqualTo(30002);
      assertThat(browser.eval("pc.signalingState").asText()).isEqualTo("stable");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aCameraTurnedOnMidCallGivesSipAReOfferWithVideo(Kind kind) throws Exception {
    try (Browser browser = open(kind, false)) {
      SessionDescription offer = createOffer(browser);
      Translation plain = translator.toPlainOffer(offer, PLAIN, List.of());
      assertThat(plain.sdp().media()).hasSize(1);
      SessionDescription sipAnswer = SessionDescription.parse(SIP_AUDIO_ANSWER);
      acceptAnswer(browser, translator.toWebRtcAnswer(sipAnswer, offer, WEBRTC));

      browser.eval(
          "(async () => { const s = await navigator.mediaDevices.getUserMedia({video: true});"
              + " pc.addTrack(s.getVideoTracks()[0], s); return true; })()");
      SessionDescription reOffer = createOffer(browser);
      Translation again =
          translator.toPlainOffer(reOffer, PLAIN, List.of(), Optional.of(sipAnswer));
      assertThat(again.sdp().media()).hasSize(2);
      assertThat(again.sdp().media().get(0).media().port()).isEqualTo(30000);
      assertThat(again.sdp().media().get(1).media().port()).isEqualTo(30002);
      acceptAnswer(
          browser,
          translator.toWebRtcAnswer(SessionDescription.parse(SIP_AV_ANSWER), reOffer, WEBRTC));
      assertThat(browser.eval("pc.getTransceivers().map(t => t.currentDirection).join()").asText())
          .isEqualTo("sendrecv,sendrecv");
    }
  }

  /** A SIPp UAC that sends {@code offer} in an INVITE, ACKs the 200 and hangs up. */
  private static final String UAC_SCENARIO =
      """
      <?xml version="1.0" encoding="ISO-8859-1" ?>
      <scenario name="INVITE with the translator's plain offer">
        <send retrans="500"><![CDATA[
      INVITE sip:bob@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:bob@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      OFFER]]></send>
        <recv response="100" optional="true"/>
        <recv response="180" optional="true"/>
        <recv response="200" rtd="true"/>
        <send><![CDATA[
      ACK sip:bob@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:bob@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

      ]]></send>
        <pause milliseconds="300"/>
        <send retrans="500"><![CDATA[
      BYE sip:bob@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:bob@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0

      ]]></send>
        <recv response="200"/>
      </scenario>
      """;

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aSipVideoPhoneAnswersTheTranslatedOfferWithVideoAndTheBrowserTakesIt(Kind kind)
      throws Exception {
    try (Browser browser = open(kind, true);
        Baresip bob = Baresip.videoPhone(dir, ns, "bob", null)) {
      SessionDescription offer = createOffer(browser);
      Translation plain = translator.toPlainOffer(offer, PLAIN, List.of());
      SessionDescription sipAnswer = sendToBaresip(plain.sdp(), bob);
      MediaDescription video = sipAnswer.media().get(1);
      assertThat(video.media().port()).as(bob.log()).isNotZero();
      assertThat(video.codecs().values()).as(bob.log()).containsExactly(Codec.VP8);

      Translation answer = translator.toWebRtcAnswer(sipAnswer, offer, WEBRTC);
      acceptAnswer(browser, answer);
      assertThat(browser.eval("pc.getTransceivers().map(t => t.currentDirection).join()").asText())
          .isEqualTo("sendrecv,sendrecv");
      int sipVp8 = video.codecs().keySet().iterator().next();
      assertThat(answer.video().toSip(browserVp8(offer))).isEqualTo(sipVp8);
    }
  }

  /** SIPp (in the namespace) offers {@code offer} to baresip; baresip's answer from the 200. */
  private SessionDescription sendToBaresip(SessionDescription offer, Baresip bob) throws Exception {
    Path scenario = dir.resolve("uac-video-offer.xml");
    Files.writeString(scenario, UAC_SCENARIO.replace("OFFER", offer.toString().replace("\r\n", "\n")));
    List<String> command =
        List.of(
            Peers.require("sipp", "sip-tester").toString(),
            "127.0.0.1:" + bob.sipPort,
            "-sf",
            scenario.toString(),
            "-i",
            "127.0.0.1",
            "-p",
            Integer.toString(FreePorts.next()),
            "-m",
            "1",
            "-timeout",
            "15s",
            "-timeout_error",
            "-nostdin",
            "-trace_msg",
            "-trace_err");
    Process sipp =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sipp-video.out").toFile())
            .start();
    try {
      assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).as("SIPp finished").isTrue();
      String messages;
      try (Stream<Path> files = Files.list(dir)) {
        Path log =
            files
                .filter(f -> f.getFileName().toString().startsWith("uac-video-offer_"))
                .filter(f -> f.getFileName().toString().endsWith("_messages.log"))
                .findFirst()
                .orElseThrow();
        messages = Files.readString(log).replace("\r\n", "\n");
      }
      assertThat(sipp.exitValue()).as(messages + bob.log()).isZero();
      for (String message : messages.split("\n-{10,}")) {
        if (message.contains("SIP/2.0 200 ") && message.contains("CSeq: 1 INVITE")) {
          return SessionDescription.parse(message.substring(message.indexOf("\nv=0") + 1).strip() + "\n");
        }
      }
      throw new AssertionError("no 200 to the INVITE in\n" + messages);
    } finally {
      sipp.destroyForcibly();
    }
  }
}

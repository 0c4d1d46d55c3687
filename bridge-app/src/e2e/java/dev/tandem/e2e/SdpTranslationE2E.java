package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.e2e.Browser.Kind;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.PlainEndpoint;
import dev.tandem.sdp.translate.SdpTranslator;
import dev.tandem.sdp.translate.Translation;
import dev.tandem.sdp.translate.TranslationOptions;
import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * sdp-translate against real browsers: what Chromium and Firefox offer today translates to plain
 * RTP, and what the translator writes for a browser (an offer from a SIP phone, an answer from a
 * SIP phone) is accepted by the browser's own {@code setRemoteDescription}. The page is the
 * bridge's (a secure context, so the microphone may be used); nothing is sent anywhere but
 * loopback in the test's network namespace.
 */
@RealPeers({"chromium", "firefox-esr"})
class SdpTranslationE2E {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SIP_OFFER =
      "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n";
  private static final String SIP_ANSWER =
      "v=0\r\no=user1 53655765 2353687638 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6002 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";

  private static final PlainEndpoint PLAIN = PlainEndpoint.of("127.0.0.1", 30000);
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

  private Browser open(Kind kind) throws Exception {
    Browser browser = Browser.launch(kind, kind.name().toLowerCase(), ns, dir);
    browser.open("http://127.0.0.1:" + tandem.httpPort + "/");
    browser.eval(
        "(async () => { window.pc = new RTCPeerConnection();"
            + " const s = await navigator.mediaDevices.getUserMedia({audio: true});"
            + " s.getTracks().forEach(t => pc.addTrack(t, s)); return true; })()");
    return browser;
  }

  private static String js(String sdp) throws Exception {
    return JSON.writeValueAsString(sdp);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aBrowserOfferTranslatesAndOurAnswerIsAccepted(Kind kind) throws Exception {
    try (Browser browser = open(kind)) {
      String offerText =
          browser
              .eval(
                  "(async () => { const o = await pc.createOffer(); await pc.setLocalDescription(o);"
                      + " return pc.localDescription.sdp; })()")
              .asText();
      SessionDescription offer = SessionDescription.parse(offerText);

      MediaDescription plain = translator.toPlainOffer(offer, PLAIN).sdp().media().get(0);
      assertThat(plain.media().proto()).isEqualTo("RTP/AVP");
      assertThat(plain.media().port()).isEqualTo(30000);
      assertThat(plain.iceUfrag()).isEmpty();
      assertThat(plain.fingerprint()).isEmpty();
      assertThat(plain.codecs().values()).extracting(c -> c.name()).contains("PCMU", "PCMA", "telephone-event");

      Translation answer =
          translator.toWebRtcAnswer(SessionDescription.parse(SIP_ANSWER), offer, WEBRTC);
      String state =
          browser
              .eval(
                  "(async () => { await pc.setRemoteDescription({type: 'answer', sdp: "
                      + js(answer.sdp().toString())
                      + "}); return pc.signalingState; })()")
              .asText();
      assertThat(state).as(browser.console()).isEqualTo("stable");
      // the browser's telephone-event number and the SIP side's 101 are tied together
      int browserDtmf =
          offer.media().get(0).codecs().entrySet().stream()
              .filter(e -> e.getValue().sameAs(Codec.TELEPHONE_EVENT))
              .findFirst()
              .orElseThrow()
              .getKey();
      assertThat(answer.payloadTypes().toSip(browserDtmf)).isEqualTo(101);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void ourOfferFromASipPhoneIsAcceptedAndTheAnswerTranslatesBack(Kind kind) throws Exception {
    try (Browser browser = open(kind)) {
      SessionDescription sipOffer = SessionDescription.parse(SIP_OFFER);
      Translation offer = translator.toWebRtcOffer(sipOffer, WEBRTC);
      String answerText =
          browser
              .eval(
                  "(async () => { await pc.setRemoteDescription({type: 'offer', sdp: "
                      + js(offer.sdp().toString())
                      + "}); const a = await pc.createAnswer(); await pc.setLocalDescription(a);"
                      + " return pc.localDescription.sdp; })()")
              .asText();
      SessionDescription browserAnswer = SessionDescription.parse(answerText);
      MediaDescription webrtc = browserAnswer.media().get(0);
      assertThat(webrtc.setup()).contains(Setup.ACTIVE);
      assertThat(webrtc.payloadTypes()).startsWith(8);

      Translation back = translator.toPlainAnswer(browserAnswer, sipOffer, PLAIN);
      MediaDescription plain = back.sdp().media().get(0);
      assertThat(plain.media().toValue()).startsWith("audio 30000 RTP/AVP 8");
      assertThat(back.sdp().direction(plain)).isEqualTo(Direction.SENDRECV);
      assertThat(back.payloadTypes().toSip(8)).isEqualTo(8);
      browser.waitFor("pc.signalingState === 'stable'", Duration.ofSeconds(5));
    }
  }
}

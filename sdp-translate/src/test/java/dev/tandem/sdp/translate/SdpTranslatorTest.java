package dev.tandem.sdp.translate;

import static dev.tandem.sdp.translate.GoldenTranslationTest.PLAIN;
import static dev.tandem.sdp.translate.GoldenTranslationTest.WEBRTC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sdp.Captures;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SdpTranslatorTest {
  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());

  private static SessionDescription edit(String capture, String from, String to)
      throws SdpParseException {
    String text = Captures.text(capture);
    assertThat(text).contains(from);
    return SessionDescription.parse(text.replace(from, to));
  }

  private static final Set<String> WEBRTC_ONLY =
      Set.of(
          "ice-ufrag",
          "ice-pwd",
          "ice-options",
          "ice-lite",
          "candidate",
          "end-of-candidates",
          "fingerprint",
          "setup",
          "rtcp-mux",
          "mid",
          "group",
          "extmap",
          "extmap-allow-mixed",
          "ssrc",
          "ssrc-group",
          "msid",
          "msid-semantic",
          "rtcp-fb",
          "rtcp-rsize");

  @Test
  void plainOfferCarriesWhatRtpengineCarriesWithoutAnyWebRtcAttribute() throws Exception {
    // rtpengine's real translation of the same offer is the reference (e2e-rtpengine-1 -> -2)
    SessionDescription chrome = Captures.parse("e2e-rtpengine-1-chrome-offer.sdp");
    MediaDescription ours = translator.toPlainOffer(chrome, PLAIN).sdp().media().get(0);
    MediaDescription theirs = Captures.parse("e2e-rtpengine-2-offer-to-sip.sdp").media().get(0);
    assertThat(ours.media().proto()).isEqualTo(theirs.media().proto()).isEqualTo("RTP/AVP");
    assertThat(theirs.payloadTypes()).containsAll(ours.payloadTypes());
    for (int pt : ours.payloadTypes()) {
      assertThat(ours.codec(pt)).isEqualTo(theirs.codec(pt));
    }
    assertThat(ours.direction()).isEqualTo(theirs.direction());
    assertThat(ours.rtcp()).isPresent();
    // rtpengine passes browser-only attributes through to SIP; the bridge does not
    assertThat(ours.attributes()).noneMatch(a -> WEBRTC_ONLY.contains(a.name()));
    assertThat(theirs.attributes()).anyMatch(a -> WEBRTC_ONLY.contains(a.name()));
  }

  @Test
  void webRtcAnswerCarriesWhatRtpengineCarries() throws Exception {
    SessionDescription chrome = Captures.parse("e2e-rtpengine-1-chrome-offer.sdp");
    SessionDescription sipp = Captures.parse("e2e-rtpengine-3-sipp-answer.sdp");
    MediaDescription ours = translator.toWebRtcAnswer(sipp, chrome, WEBRTC).sdp().media().get(0);
    MediaDescription theirs = Captures.parse("e2e-rtpengine-4-answer-to-chrome.sdp").media().get(0);
    assertThat(ours.media().proto()).isEqualTo(theirs.media().proto());
    assertThat(ours.payloadTypes()).isEqualTo(theirs.payloadTypes());
    assertThat(ours.mid()).isEqualTo(theirs.mid());
    assertThat(ours.setup()).isEqualTo(theirs.setup()).contains(Setup.ACTIVE);
    assertThat(ours.rtcpMux()).isTrue();
    assertThat(ours.endOfCandidates()).isEqualTo(theirs.endOfCandidates()).isTrue();
    assertThat(ours.candidates()).hasSize(1);
    assertThat(ours.iceUfrag()).contains("Tnd1");
  }

  @Test
  void renumbersTelephoneEventWhenTheSipSideAnswersWithItsOwnNumber() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-only.sdp");
    SessionDescription answer =
        edit(
            "sipp-uas-answer.sdp",
            "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
            "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n");
    Translation t = translator.toWebRtcAnswer(answer, chrome, WEBRTC);
    MediaDescription audio = t.sdp().media().get(0);
    // the browser hears its own numbers; the relay rewrites
    assertThat(audio.payloadTypes()).containsExactly(0, 126);
    assertThat(audio.fmtp(126).map(f -> f.parameters())).contains("0-16");
    assertThat(t.payloadTypes().browserToSip()).isEqualTo(Map.of(0, 0, 126, 101));
    assertThat(t.payloadTypes().toSip(126)).isEqualTo(101);
    assertThat(t.payloadTypes().toBrowser(101)).isEqualTo(126);
    assertThat(t.payloadTypes().toSip(111)).isEqualTo(-1);
    assertThat(t.payloadTypes().isIdentity()).isFalse();
  }

  @Test
  void refusesAnOfferWithNoCodecThatCanPassWithoutTranscoding() throws Exception {
    SessionDescription opusOnly =
        edit(
            "chrome-offer-audio-only.sdp",
            "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "UDP/TLS/RTP/SAVPF 111 126");
    assertThatThrownBy(() -> translator.toPlainOffer(opusOnly, PLAIN))
        .isInstanceOf(SdpTranslationException.class)
        .hasMessage(
            "no offered codec can go to a SIP endpoint without transcoding (offered: opus/48000/2,"
                + " telephone-event/8000; possible: PCMU/8000, PCMA/8000, G722/8000,"
                + " telephone-event/8000)");
    SdpTranslator withOpus = new SdpTranslator(new TranslationOptions(true));
    assertThat(withOpus.toPlainOffer(opusOnly, PLAIN).sdp().media().get(0).codec(111))
        .contains(Codec.OPUS);

    SessionDescription g729 =
        edit("sipp-uac-offer.sdp", "RTP/AVP 8\r\na=rtpmap:8 PCMA/8000", "RTP/AVP 18");
    assertThatThrownBy(() -> translator.toWebRtcOffer(g729, WEBRTC))
        .hasMessageStartingWith(
            "no offered codec can go to a browser without transcoding (offered: G729/8000;");
  }

  @Test
  void refusesOffersWithoutAudioAndAnswersThatDoNotFit() throws Exception {
    SessionDescription videoOnly =
        edit("sipp-uac-offer.sdp", "m=audio 6100 RTP/AVP 8", "m=video 6100 RTP/AVP 8");
    assertThatThrownBy(() -> translator.toWebRtcOffer(videoOnly, WEBRTC))
        .hasMessage(
            "the offer has no audio m-line over RTP with a port (m-lines: video 6100 RTP/AVP 8)");
    SessionDescription chrome = Captures.parse("chrome-offer-audio-only.sdp");
    SessionDescription g729Answer =
        edit("sipp-uas-answer.sdp", "RTP/AVP 0\r\na=rtpmap:0 PCMU/8000", "RTP/AVP 18");
    assertThatThrownBy(() -> translator.toWebRtcAnswer(g729Answer, chrome, WEBRTC))
        .hasMessage("the answer accepts none of the offered codecs (answered: G729/8000)");
    SessionDescription noAudio =
        edit("sipp-uas-answer.sdp", "m=audio 6000 RTP/AVP 0", "m=video 6000 RTP/AVP 0");
    assertThatThrownBy(() -> translator.toWebRtcAnswer(noAudio, chrome, WEBRTC))
        .hasMessage(
            "the answer has no audio m-line, but audio was offered (m-lines: video 6000 RTP/AVP 0)");
  }

  @Test
  void aRejectedAudioAnswerRejectsEveryStreamAndEmptiesTheBundle() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-only.sdp");
    SessionDescription rejected = edit("sipp-uas-answer.sdp", "m=audio 6000", "m=audio 0");
    SessionDescription answer = translator.toWebRtcAnswer(rejected, chrome, WEBRTC).sdp();
    assertThat(answer.media()).allMatch(MediaDescription::isRejected);
    assertThat(answer.bundle().map(g -> g.mids())).contains(List.of());
  }

  @Test
  void carriesHoldBothWays() throws Exception {
    // browser re-offer on hold (RFC 3264 §8.4 sendonly) -> SIP sees sendonly on the relay address
    SessionDescription held = edit("chrome-offer-audio-only.sdp", "a=sendrecv", "a=sendonly");
    MediaDescription plain = translator.toPlainOffer(held, PLAIN).sdp().media().get(0);
    assertThat(plain.direction()).contains(Direction.SENDONLY);
    // RFC 2543 hold from a SIP phone (c=0.0.0.0) -> the browser sees sendonly, never 0.0.0.0
    SessionDescription oldHold =
        edit("sipp-uac-offer.sdp", "c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0");
    SessionDescription offer = translator.toWebRtcOffer(oldHold, WEBRTC).sdp();
    assertThat(offer.media().get(0).direction()).contains(Direction.SENDONLY);
    assertThat(offer.connection(offer.media().get(0)).orElseThrow().connectionAddress())
        .isEqualTo("203.0.113.10");
  }

  @Test
  void answersTheDtlsRoleTheBrowserLeftOpen() throws Exception {
    SessionDescription sipp = Captures.parse("sipp-uas-answer.sdp");
    SessionDescription active =
        edit("chrome-offer-audio-only.sdp", "a=setup:actpass", "a=setup:active");
    assertThat(translator.toWebRtcAnswer(sipp, active, WEBRTC).sdp().media().get(0).setup())
        .contains(Setup.PASSIVE);
    SessionDescription passive =
        edit("chrome-offer-audio-only.sdp", "a=setup:actpass", "a=setup:passive");
    assertThat(translator.toWebRtcAnswer(sipp, passive, WEBRTC).sdp().media().get(0).setup())
        .contains(Setup.ACTIVE);
  }

  @Test
  void answersRtcpMuxToSipOnlyWhenOfferedAndTheRelayMuxes() throws Exception {
    SessionDescription muxOffer = edit("baresip-offer-to-sipp.sdp", "a=rtcp-rsize", "a=rtcp-mux");
    SessionDescription chromeAnswer = Captures.parse("chrome-answer-to-tandem-offer.sdp");
    MediaDescription muxed =
        translator
            .toPlainAnswer(chromeAnswer, muxOffer, new PlainEndpoint("203.0.113.10", 30000, 30000))
            .sdp()
            .media()
            .get(0);
    assertThat(muxed.rtcpMux()).isTrue();
    assertThat(muxed.rtcp()).isEmpty();
    MediaDescription separate =
        translator.toPlainAnswer(chromeAnswer, muxOffer, PLAIN).sdp().media().get(0);
    assertThat(separate.rtcpMux()).isFalse();
    assertThat(separate.rtcp().map(r -> r.port())).contains(30001);
  }
}

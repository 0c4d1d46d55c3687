package dev.tandem.sdp.translate;

import static dev.tandem.sdp.translate.GoldenTranslationTest.PLAIN;
import static dev.tandem.sdp.translate.GoldenTranslationTest.PLAIN_AV;
import static dev.tandem.sdp.translate.GoldenTranslationTest.WEBRTC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.Bandwidth;
import dev.tandem.sdp.Captures;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.RtcpFb;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SdesSuite;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Video (issue 19): both directions, codec policy, feedback, refusals and re-offers. */
class VideoTranslationTest {
  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());

  private static SessionDescription edit(String capture, String from, String to)
      throws SdpParseException {
    String text = Captures.text(capture);
    assertThat(text).contains(from);
    return SessionDescription.parse(text.replace(from, to));
  }

  private static List<String> mLines(SessionDescription sdp) {
    return sdp.media().stream().map(m -> m.media().toValue()).toList();
  }

  private static List<String> mids(SessionDescription sdp) {
    return sdp.media().stream().map(m -> m.mid().orElse("-")).toList();
  }

  // ---- browser -> SIP

  @Test
  void browserVideoGoesToItsOwnPlainPortWithOnlyCodecsAndFeedbackTheRelayPasses() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    Translation t = translator.toPlainOffer(chrome, PLAIN_AV, List.of());
    assertThat(t.sdp().media()).hasSize(2);
    MediaDescription video = t.sdp().media().get(1);
    assertThat(video.media().port()).isEqualTo(30002);
    assertThat(video.media().proto()).isEqualTo("RTP/AVP");
    assertThat(video.rtcp().orElseThrow().port()).isEqualTo(30003);
    assertThat(video.codecs().values())
        .extracting(Codec::name)
        .containsOnly("VP8", "VP9", "H264")
        .contains("VP8", "VP9", "H264");
    // rtx 97, red 118, ulpfec 120, AV1 45 stay out of the offer and of the relay's map
    assertThat(video.payloadTypes()).doesNotContain(97, 118, 120, 45);
    assertThat(t.video().toSip(97)).isEqualTo(-1);
    assertThat(t.video().toSip(96)).isEqualTo(96);
    assertThat(video.rtcpFbs())
        .extracting(RtcpFb::kind)
        .containsOnly(RtcpFeedback.NACK, RtcpFeedback.PLI, RtcpFeedback.FIR);
    assertThat(video.attributes())
        .extracting(Attribute::name)
        .doesNotContain("mid", "extmap", "ssrc", "ssrc-group", "msid", "rtcp-mux", "ice-ufrag");
    assertThat(t.sdp().attributes()).extracting(Attribute::name).doesNotContain("group");
    assertThat(t.payloadTypes().browserToSip()).doesNotContainKeys(96, 102);
  }

  @Test
  void feedbackTowardSipIsWrittenOnceUnderStarWhenEveryFormatHasTheSame() throws Exception {
    MediaDescription same =
        translator
            .toPlainOffer(Captures.parse("chrome-offer-audio-video.sdp"), PLAIN_AV, List.of())
            .sdp()
            .media()
            .get(1);
    assertThat(same.rtcpFbs())
        .containsExactly(
            RtcpFeedback.FIR.at("*"), RtcpFeedback.NACK.at("*"), RtcpFeedback.PLI.at("*"));
    // H.264 102 without generic nack: every format keeps its own lines
    SessionDescription differing =
        edit("chrome-offer-audio-video.sdp", "a=rtcp-fb:102 nack\r\n", "");
    MediaDescription video =
        translator.toPlainOffer(differing, PLAIN_AV, List.of()).sdp().media().get(1);
    assertThat(video.rtcpFbs())
        .contains(RtcpFeedback.NACK.at("96"), RtcpFeedback.PLI.at("102"))
        .doesNotContain(RtcpFeedback.NACK.at("102"), RtcpFeedback.NACK.at("*"))
        .hasSize(3 * video.payloadTypes().size() - 1);
  }

  @Test
  void videoOffOrSdesOrUnbundledOrNoCommonCodecLeavesSipAnAudioOffer() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    SdesKey key =
        SdesKey.generate(1, SdesSuite.AES_CM_128_HMAC_SHA1_80, new java.security.SecureRandom());
    SessionDescription unbundled = edit("chrome-offer-audio-video.sdp", "a=group:BUNDLE 0 1", "");
    SessionDescription av1Only =
        edit(
            "chrome-offer-audio-video.sdp",
            "m=video 34467 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45"
                + " 46 98 99 100 101 118 119 120",
            "m=video 34467 UDP/TLS/RTP/SAVPF 45 46");
    for (Translation t :
        List.of(
            translator.toPlainOffer(chrome, PlainMedia.audioOnly(PLAIN), List.of()),
            translator.toPlainOffer(chrome, PLAIN_AV, List.of(key)),
            translator.toPlainOffer(unbundled, PLAIN_AV, List.of()),
            translator.toPlainOffer(av1Only, PLAIN_AV, List.of()))) {
      assertThat(mLines(t.sdp())).hasSize(1).allMatch(m -> m.startsWith("audio 30000 "));
      assertThat(t.carriesVideo()).isFalse();
    }
  }

  @Test
  void aSipAnswerWithoutVideoRefusesTheBrowsersVideoInPlaceAndKeepsAudio() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    SessionDescription audioOnly = Captures.parse("baresip-answer-to-sipp.sdp");
    Translation t = translator.toWebRtcAnswer(audioOnly, chrome, WEBRTC);
    assertThat(mLines(t.sdp())).element(1).asString().startsWith("video 0 ");
    assertThat(mids(t.sdp())).containsExactly("0", "1");
    assertThat(t.sdp().bundle().orElseThrow().mids()).containsExactly("0");
    assertThat(t.sdp().media().get(0).isRejected()).isFalse();
    assertThat(t.carriesVideo()).isFalse();
  }

  @Test
  void theBrowsersAnswerAlwaysAnnouncesPliAndFirAndNackOnlyWhereSipHasIt() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    SessionDescription noFeedback =
        edit("baresip-answer-audio-video-vp8.sdp", "a=rtcp-fb:* nack pli\r\n", "");
    MediaDescription video =
        translator.toWebRtcAnswer(noFeedback, chrome, WEBRTC).sdp().media().get(1);
    assertThat(video.rtcpFbs())
        .containsExactly(RtcpFeedback.PLI.at("96"), RtcpFeedback.FIR.at("96"));
    SessionDescription nack =
        edit("baresip-answer-audio-video-vp8.sdp", "a=rtcp-fb:* nack pli", "a=rtcp-fb:100 nack");
    assertThat(translator.toWebRtcAnswer(nack, chrome, WEBRTC).sdp().media().get(1).rtcpFbs())
        .containsExactly(
            RtcpFeedback.NACK.at("96"), RtcpFeedback.PLI.at("96"), RtcpFeedback.FIR.at("96"));
  }

  @Test
  void videoDirectionFollowsTheAnswerWithinWhatTheBrowserOffered() throws Exception {
    // the browser only receives video; the SIP side answers sendrecv: the browser gets sendonly
    SessionDescription answer = Captures.parse("baresip-answer-audio-video-vp8.sdp");
    MediaDescription video =
        translator.toWebRtcAnswer(answer, recvonlyVideo(), WEBRTC).sdp().media().get(1);
    assertThat(video.direction()).contains(Direction.SENDONLY);
    // the SIP side answers its video inactive (camera off)
    MediaDescription inactive =
        translator
            .toWebRtcAnswer(
                editVideoDirection("inactive"),
                Captures.parse("chrome-offer-audio-video.sdp"),
                WEBRTC)
            .sdp()
            .media()
            .get(1);
    assertThat(inactive.direction()).contains(Direction.INACTIVE);
    assertThat(inactive.isRejected()).isFalse();
  }

  /** Chromium's offer with its video transceiver recvonly (no camera). */
  private static SessionDescription recvonlyVideo() throws SdpParseException {
    String text = Captures.text("chrome-offer-audio-video.sdp");
    int video = text.indexOf("m=video");
    String head = text.substring(0, video);
    String tail = text.substring(video).replaceFirst("a=sendrecv", "a=recvonly");
    return SessionDescription.parse(head + tail);
  }

  /** baresip's answer with its video section's direction replaced. */
  private static SessionDescription editVideoDirection(String direction) throws SdpParseException {
    String text = Captures.text("baresip-answer-audio-video-vp8.sdp");
    int video = text.indexOf("m=video");
    return SessionDescription.parse(
        text.substring(0, video) + text.substring(video).replace("a=sendrecv", "a=" + direction));
  }

  @Test
  void aPhonesVideoBandwidthReachesTheBrowserAndKeyFrameFeedbackIsReported() throws Exception {
    SessionDescription capped =
        edit(
            "baresip-answer-audio-video-vp8.sdp",
            "m=video 43034 RTP/AVP 100\r\n",
            "m=video 43034 RTP/AVP 100\r\nb=AS:768\r\n");
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    SessionDescription answer = translator.toWebRtcAnswer(capped, chrome, WEBRTC).sdp();
    assertThat(answer.media().get(1).bandwidths()).containsExactly(new Bandwidth("AS", 768));
    assertThat(answer.media().get(0).bandwidths()).isEmpty();
    assertThat(RtcpFeedback.keyFrameRequests(capped)).isTrue();
    assertThat(
            RtcpFeedback.keyFrameRequests(
                edit("baresip-answer-audio-video-vp8.sdp", "a=rtcp-fb:* nack pli\r\n", "")))
        .isFalse();
    assertThat(RtcpFeedback.keyFrameRequests(Captures.parse("baresip-answer-to-sipp.sdp")))
        .isFalse();
  }

  // ---- H.264 (RFC 6184 §8.1)

  @Test
  void h264AnswersMatchTheOfferedFormatOfTheSameProfileAndPacketizationModeAtAnyLevel()
      throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    // SIP answers Constrained Baseline, mode 1, level 4.0 (28) under its own number 97
    SessionDescription answer =
        sipAnswerWithVideo("97", "H264/90000", "profile-level-id=42e028;packetization-mode=1");
    Translation t = translator.toWebRtcAnswer(answer, chrome, WEBRTC);
    MediaDescription video = t.sdp().media().get(1);
    // Chromium's 108 is 42e01f mode 1; 102 is Baseline (42001f), 114 mode 0
    assertThat(video.payloadTypes()).containsExactly(108);
    assertThat(video.fmtp(108).orElseThrow().parameter("profile-level-id")).contains("42e028");
    assertThat(t.video().browserToSip()).isEqualTo(Map.of(108, 97));
  }

  @Test
  void h264OfAnotherProfileOrModeIsNoCommonCodecAndTheVideoIsRefused() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    for (String fmtp :
        List.of(
            "profile-level-id=640c1f;packetization-mode=1", // Constrained High: not offered
            "profile-level-id=4d001f;packetization-mode=2", // Main, but interleaved
            "profile-level-id=zz;packetization-mode=1")) { // unreadable
      Translation t =
          translator.toWebRtcAnswer(sipAnswerWithVideo("97", "H264/90000", fmtp), chrome, WEBRTC);
      assertThat(t.sdp().media().get(1).isRejected()).as(fmtp).isTrue();
      assertThat(t.sdp().media().get(0).isRejected()).isFalse();
      assertThat(t.carriesVideo()).isFalse();
    }
  }

  @Test
  void anH264FormatWithoutProfileLevelIdIsConstrainedBaselineAsBrowsersReadIt() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-video.sdp");
    Translation t =
        translator.toWebRtcAnswer(sipAnswerWithVideo("97", "H264/90000", null), chrome, WEBRTC);
    // Chromium's constrained-baseline mode 0 is 114
    assertThat(t.video().browserToSip()).isEqualTo(Map.of(114, 97));
  }

  @Test
  void anH264FormatWithAnUnreadableProfileIsNotOfferedToSip() throws Exception {
    SessionDescription broken =
        edit(
            "chrome-offer-audio-video.sdp",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4200");
    MediaDescription video =
        translator.toPlainOffer(broken, PLAIN_AV, List.of()).sdp().media().get(1);
    assertThat(video.payloadTypes()).doesNotContain(102).contains(96, 104);
  }

  /** baresip's answer with its video m-line answering {@code codec} as {@code pt}. */
  private static SessionDescription sipAnswerWithVideo(String pt, String codec, String fmtp)
      throws SdpParseException {
    String text = Captures.text("baresip-answer-audio-video-vp8.sdp");
    String video =
        "m=video 43034 RTP/AVP "
            + pt
            + "\r\na=rtpmap:"
            + pt
            + " "
            + codec
            + "\r\n"
            + (fmtp == null ? "" : "a=fmtp:" + pt + " " + fmtp + "\r\n")
            + "a=sendrecv\r\n";
    return SessionDescription.parse(text.substring(0, text.indexOf("m=video")) + video);
  }

  // ---- SIP -> browser

  @Test
  void sipVideoNumbersThatClashWithAudioAreRenumberedForTheBundleAndBack() throws Exception {
    // VP8 at 101, where the audio has telephone-event
    SessionDescription clash =
        edit(
            "baresip-offer-audio-video-vp8.sdp",
            "m=video 43020 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=fmtp:96 max-fs=3600",
            "m=video 43020 RTP/AVP 101\r\na=rtpmap:101 VP8/90000\r\na=fmtp:101 max-fs=3600");
    Translation offer = translator.toWebRtcOffer(clash, WEBRTC, true);
    assertThat(offer.sdp().media().get(0).payloadTypes()).containsExactly(0, 8, 101);
    assertThat(offer.sdp().media().get(1).payloadTypes()).containsExactly(96);
    assertThat(offer.video().browserToSip()).isEqualTo(Map.of(96, 101));
    // Chromium answers 96 (its real answer to the same shape): SIP gets its own 101 back
    SessionDescription chrome = Captures.parse("chrome-answer-to-tandem-av-offer.sdp");
    Translation answer = translator.toPlainAnswer(chrome, clash, PLAIN_AV, Optional.empty());
    MediaDescription video = answer.sdp().media().get(1);
    assertThat(video.payloadTypes()).containsExactly(101);
    assertThat(video.codec(101)).contains(Codec.VP8);
    assertThat(video.media().port()).isEqualTo(30002);
    assertThat(answer.video().browserToSip()).isEqualTo(Map.of(96, 101));
    assertThat(answer.payloadTypes().browserToSip()).containsEntry(101, 101);
  }

  @Test
  void videoOffOrSdesOrNoCommonCodecOffersTheBrowserAudioAndRefusesSipVideoInPlace()
      throws Exception {
    SessionDescription baresip = Captures.parse("baresip-offer-audio-video-vp8.sdp");
    SessionDescription sdes =
        edit(
            "baresip-offer-audio-video-vp8.sdp", "m=video 43020 RTP/AVP", "m=video 43020 RTP/SAVP");
    SessionDescription h263 =
        edit(
            "baresip-offer-audio-video-vp8.sdp",
            "a=rtpmap:96 VP8/90000",
            "a=rtpmap:96 H263-1998/90000");
    SessionDescription chromeAudioOnly = Captures.parse("chrome-answer-to-tandem-offer.sdp");
    for (SessionDescription sip : List.of(baresip, sdes, h263)) {
      boolean video = sip != baresip;
      Translation offer = translator.toWebRtcOffer(sip, WEBRTC, video);
      assertThat(mLines(offer.sdp())).hasSize(1);
      assertThat(offer.sdp().bundle().orElseThrow().mids()).containsExactly("0");
      Translation answer =
          translator.toPlainAnswer(chromeAudioOnly, sip, PLAIN_AV, Optional.empty());
      assertThat(mLines(answer.sdp())).hasSize(2).element(1).asString().startsWith("video 0 ");
      assertThat(answer.sdp().media().get(0).media().port()).isEqualTo(30000);
    }
  }

  @Test
  void anSdesCallCarriesNoVideoEvenPlainVideoBesideIt() throws Exception {
    SdesKey theirs =
        SdesKey.generate(1, SdesSuite.AES_CM_128_HMAC_SHA1_80, new java.security.SecureRandom());
    SessionDescription sdesAudio =
        edit(
            "baresip-offer-audio-video-vp8.sdp",
            "m=audio 43060 RTP/AVP 0 8 101\r\n",
            "m=audio 43060 RTP/SAVP 0 8 101\r\n" + theirs.toCrypto().toAttribute() + "\r\n");
    Translation offer = translator.toWebRtcOffer(sdesAudio, WEBRTC, true);
    assertThat(mLines(offer.sdp())).hasSize(1);
    SdesKey ours =
        SdesKey.generate(1, SdesSuite.AES_CM_128_HMAC_SHA1_80, new java.security.SecureRandom());
    Translation answer =
        translator.toPlainAnswer(
            Captures.parse("chrome-answer-to-tandem-av-offer.sdp"),
            sdesAudio,
            PLAIN_AV,
            Optional.of(ours));
    assertThat(mLines(answer.sdp())).hasSize(2).element(1).asString().startsWith("video 0 ");
    assertThat(answer.sdp().media().get(0).media().proto()).isEqualTo("RTP/SAVP");
    assertThat(answer.carriesVideo()).isFalse();
  }

  @Test
  void theSipAnswerKeepsOnlyTheSipSidesOwnFeedbackThatTheRelayPasses() throws Exception {
    SessionDescription sip = Captures.parse("plain-offer-vp8-h264-to-baresip.sdp");
    Translation offer = translator.toWebRtcOffer(sip, WEBRTC, true);
    assertThat(offer.sdp().media().get(1).payloadTypes()).containsExactly(100, 97);
    // Chromium's answer, taking VP8 at 100 as offered
    SessionDescription chrome =
        SessionDescription.parse(
            Captures.text("chrome-answer-to-tandem-av-offer.sdp")
                .replace("UDP/TLS/RTP/SAVPF 96", "UDP/TLS/RTP/SAVPF 100")
                .replace(":96 ", ":100 "));
    MediaDescription video =
        translator.toPlainAnswer(chrome, sip, PLAIN_AV, Optional.empty()).sdp().media().get(1);
    assertThat(video.payloadTypes()).containsExactly(100);
    assertThat(video.rtcpFbs())
        .containsExactly(
            RtcpFeedback.NACK.at("100"), RtcpFeedback.PLI.at("100"), RtcpFeedback.FIR.at("100"));
  }

  // ---- re-offers (RFC 3264 §8)

  @Test
  void aBrowserReOfferThatAddsVideoGivesSipAReOfferWithAudioAndVideo() throws Exception {
    SessionDescription first =
        translator
            .toPlainOffer(Captures.parse("chrome-offer-audio-only.sdp"), PLAIN_AV, List.of())
            .sdp();
    assertThat(mLines(first)).hasSize(1);
    Translation again =
        translator.toPlainOffer(
            Captures.parse("chrome-offer-audio-video.sdp"),
            PLAIN_AV,
            List.of(),
            Optional.of(first));
    assertThat(mLines(again.sdp())).hasSize(2).element(1).asString().startsWith("video 30002 ");
    assertThat(again.carriesVideo()).isTrue();
  }

  @Test
  void aBrowserReOfferThatStopsVideoKeepsTheSipVideoLineAtPortZero() throws Exception {
    SessionDescription first =
        translator
            .toPlainOffer(Captures.parse("chrome-offer-audio-video.sdp"), PLAIN_AV, List.of())
            .sdp();
    SessionDescription stopped =
        edit("chrome-offer-audio-video.sdp", "m=video 34467 ", "m=video 0 ");
    Translation again = translator.toPlainOffer(stopped, PLAIN_AV, List.of(), Optional.of(first));
    assertThat(mLines(again.sdp())).hasSize(2).element(1).asString().startsWith("video 0 RTP/AVP");
    assertThat(again.carriesVideo()).isFalse();
    // and a SIP side whose first offer had more m-lines keeps them all, in order
    SessionDescription sipFirst = Captures.parse("plain-offer-vp8-h264-to-baresip.sdp");
    SessionDescription withBfcp =
        SessionDescription.parse(sipFirst + "m=application 5070 TCP/BFCP *\r\na=floorctrl:c-s\r\n");
    Translation onBfcp =
        translator.toPlainOffer(
            Captures.parse("chrome-offer-audio-video.sdp"),
            PLAIN_AV,
            List.of(),
            Optional.of(withBfcp));
    assertThat(mLines(onBfcp.sdp()))
        .hasSize(3)
        .satisfies(
            l -> {
              assertThat(l.get(0)).startsWith("audio 30000 ");
              assertThat(l.get(1)).startsWith("video 30002 ");
              assertThat(l.get(2)).isEqualTo("application 0 TCP/BFCP *");
            });
  }

  @Test
  void aSipReOfferThatAddsVideoAppendsItToTheMlinesTheBrowserKnows() throws Exception {
    SessionDescription browserSide = Captures.parse("chrome-answer-to-tandem-offer.sdp");
    Translation t =
        translator.toWebRtcOffer(
            Captures.parse("baresip-offer-audio-video-vp8.sdp"),
            WEBRTC,
            true,
            Optional.of(browserSide));
    assertThat(mids(t.sdp())).containsExactly("0", "1");
    assertThat(t.sdp().bundle().orElseThrow().mids()).containsExactly("0", "1");
    assertThat(t.sdp().media().get(1).media().port()).isEqualTo(WEBRTC.port());
  }

  @Test
  void aSipReOfferThatRemovesVideoKeepsTheBrowsersVideoLineAtPortZero() throws Exception {
    SessionDescription browserSide = Captures.parse("chrome-answer-to-tandem-av-offer.sdp");
    SessionDescription removed =
        edit("baresip-offer-audio-video-vp8.sdp", "m=video 43020 ", "m=video 0 ");
    Translation t = translator.toWebRtcOffer(removed, WEBRTC, true, Optional.of(browserSide));
    assertThat(mids(t.sdp())).containsExactly("0", "1");
    assertThat(t.sdp().media().get(1).isRejected()).isTrue();
    assertThat(t.sdp().bundle().orElseThrow().mids()).containsExactly("0");
    // the browser answers port 0 for it: SIP's answer refuses the video in place
    SessionDescription browserAnswer =
        edit("chrome-answer-to-tandem-av-offer.sdp", "m=video 9 ", "m=video 0 ");
    Translation answer =
        translator.toPlainAnswer(browserAnswer, removed, PLAIN_AV, Optional.empty());
    assertThat(mLines(answer.sdp())).hasSize(2).element(1).asString().startsWith("video 0 ");
  }

  @Test
  void aSipReOfferOnABrowsersCallKeepsEveryBrowserMlineAndMid() throws Exception {
    // the browser's call had audio, video and a data channel (mids 0 1 2); our answer to it,
    // the last answer exchanged with the browser, refused the data channel
    SessionDescription browserSide =
        translator
            .toWebRtcAnswer(
                Captures.parse("baresip-answer-audio-video-vp8.sdp"),
                Captures.parse("chrome-offer-audio-video-datachannel.sdp"),
                WEBRTC)
            .sdp();
    assertThat(browserSide.media().get(2).isRejected()).isTrue();
    Translation t =
        translator.toWebRtcOffer(
            Captures.parse("baresip-offer-audio-video-vp8.sdp"),
            WEBRTC,
            true,
            Optional.of(browserSide));
    assertThat(mids(t.sdp())).containsExactly("0", "1", "2");
    assertThat(mLines(t.sdp()).get(2)).isEqualTo("application 0 UDP/DTLS/SCTP webrtc-datachannel");
    assertThat(t.sdp().bundle().orElseThrow().mids()).containsExactly("0", "1");
    // a video the previous exchange refused is not reused: a fresh mid is appended
    SessionDescription videoRefused =
        edit("chrome-answer-to-tandem-av-offer.sdp", "m=video 9 ", "m=video 0 ");
    Translation again =
        translator.toWebRtcOffer(
            Captures.parse("baresip-offer-audio-video-vp8.sdp"),
            WEBRTC,
            true,
            Optional.of(videoRefused));
    assertThat(mids(again.sdp())).containsExactly("0", "1", "2");
    assertThat(again.sdp().media().get(1).isRejected()).isTrue();
    assertThat(again.sdp().bundle().orElseThrow().mids()).containsExactly("0", "2");
  }
}

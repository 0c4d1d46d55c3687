package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3264 §10 and RFC 4317 examples as test vectors. */
class OfferAnswerTest {

  // RFC 3264 §10.1, Alice's offer
  private static final String ALICE_OFFER =
      """
      v=0
      o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com
      s=
      c=IN IP4 host.atlanta.example.com
      t=0 0
      m=audio 49170 RTP/AVP 0 8 97
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      a=rtpmap:97 iLBC/8000
      m=video 51372 RTP/AVP 31 32
      a=rtpmap:31 H261/90000
      a=rtpmap:32 MPV/90000
      """;

  // RFC 3264 §10.1, Bob's answer
  private static final String BOB_ANSWER =
      """
      v=0
      o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 49174 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=video 49170 RTP/AVP 32
      a=rtpmap:32 MPV/90000
      """;

  // RFC 3264 §10.2, Bob's second offer: a new recvonly telephone-event stream
  private static final String BOB_SECOND_OFFER =
      """
      v=0
      o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com
      s=
      c=IN IP4 host.biloxi.example.com
      t=0 0
      m=audio 65422 RTP/AVP 0
      a=rtpmap:0 PCMU/8000
      m=video 0 RTP/AVP 32
      a=rtpmap:32 MPV/90000
      m=audio 51434 RTP/AVP 110
      a=rtpmap:110 telephone-events/8000
      a=recvonly
      """;

  private static SessionDescription parse(String text) throws SdpParseException {
    return SessionDescription.parse(text);
  }

  @Test
  void answerKeepsTheOfferersCodecOrderAndOnlyWhatBothHave() throws SdpParseException {
    SessionDescription offer = parse(ALICE_OFFER);
    SessionDescription answer = parse(BOB_ANSWER);
    // Bob can do PCMU and MPV only (RFC 3264 §10.1)
    CodecPolicy bob =
        new CodecPolicy(
            List.of(new Codec("MPV", 90000, 1), Codec.PCMU, new Codec("H261", 90000, 1)));
    assertThat(OfferAnswer.acceptedPayloadTypes(offer.media().get(0), bob)).containsExactly(0);
    // the offerer's order (31 before 32) wins over the answerer's preference
    assertThat(OfferAnswer.acceptedPayloadTypes(offer.media().get(1), bob)).containsExactly(31, 32);
    assertThat(OfferAnswer.matchCodecs(offer.media().get(0), answer.media().get(0)))
        .containsExactly(new OfferAnswer.CodecMatch(0, 0, Codec.PCMU));
    assertThat(OfferAnswer.matchCodecs(offer.media().get(1), answer.media().get(1)))
        .containsExactly(new OfferAnswer.CodecMatch(32, 32, new Codec("MPV", 90000, 1)));
  }

  @Test
  void matchesRenumberedDynamicPayloadTypesByCodec() throws SdpParseException {
    MediaDescription offer = parse(ALICE_OFFER).media().get(0);
    MediaDescription answer =
        parse(BOB_ANSWER.replace("RTP/AVP 0\n", "RTP/AVP 99 0\na=rtpmap:99 iLBC/8000\n"))
            .media()
            .get(0);
    assertThat(OfferAnswer.matchCodecs(offer, answer))
        .containsExactly(
            new OfferAnswer.CodecMatch(97, 99, new Codec("iLBC", 8000, 1)),
            new OfferAnswer.CodecMatch(0, 0, Codec.PCMU));
  }

  @Test
  void ignoresCodecsTheAnswerAddsThatWereNeverOffered() throws SdpParseException {
    MediaDescription offer = parse(ALICE_OFFER).media().get(0);
    MediaDescription answer =
        parse(BOB_ANSWER.replace("RTP/AVP 0\n", "RTP/AVP 18 0\n")).media().get(0);
    assertThat(OfferAnswer.matchCodecs(offer, answer))
        .extracting(OfferAnswer.CodecMatch::offerPayloadType)
        .containsExactly(0);
  }

  @Test
  void telephoneEventAloneIsNoCall() throws SdpParseException {
    // RFC 3264 §10.2 spells it "telephone-events"; RFC 4733 registered "telephone-event"
    MediaDescription stream =
        parse(BOB_SECOND_OFFER.replace("telephone-events", "telephone-event")).media().get(2);
    assertThat(OfferAnswer.acceptedPayloadTypes(stream, c -> true)).isEmpty();
  }

  @Test
  void answersARecvonlyStreamWithSendonly() throws SdpParseException {
    // RFC 3264 §10.2: Alice answers Bob's recvonly stream with sendonly
    SessionDescription offer = parse(BOB_SECOND_OFFER);
    Direction offered = offer.direction(offer.media().get(2));
    assertThat(offered).isEqualTo(Direction.RECVONLY);
    assertThat(OfferAnswer.answerDirection(offered, Direction.SENDRECV))
        .isEqualTo(Direction.SENDONLY);
  }

  @ParameterizedTest(name = "offer {0}, answerer wants {1} -> {2}")
  @CsvSource({
    "SENDRECV, SENDRECV, SENDRECV",
    "SENDRECV, RECVONLY, RECVONLY",
    "SENDRECV, SENDONLY, SENDONLY",
    "SENDONLY, SENDRECV, RECVONLY",
    "SENDONLY, SENDONLY, INACTIVE",
    "RECVONLY, SENDRECV, SENDONLY",
    "RECVONLY, RECVONLY, INACTIVE",
    "INACTIVE, SENDRECV, INACTIVE",
  })
  void answerDirectionFollowsRfc3264Section61(
      Direction offered, Direction wanted, Direction answer) {
    assertThat(OfferAnswer.answerDirection(offered, wanted)).isEqualTo(answer);
  }

  @Test
  void detectsHoldBySendonlyInactiveOrTheZeroAddress() throws SdpParseException {
    // RFC 4317 §4.1 (sendonly hold) and RFC 3264 §8.4 (RFC 2543 hold with c=0.0.0.0)
    SessionDescription plain = parse(BOB_ANSWER);
    assertThat(OfferAnswer.isHold(plain, plain.media().get(0))).isFalse();
    SessionDescription sendonly =
        parse(BOB_ANSWER.replace("a=rtpmap:0 PCMU/8000\n", "a=rtpmap:0 PCMU/8000\na=sendonly\n"));
    assertThat(OfferAnswer.isHold(sendonly, sendonly.media().get(0))).isTrue();
    assertThat(OfferAnswer.isHold(sendonly, sendonly.media().get(1))).isFalse();
    SessionDescription inactive = parse(BOB_ANSWER.replace("t=0 0\n", "t=0 0\na=inactive\n"));
    assertThat(OfferAnswer.isHold(inactive, inactive.media().get(1))).isTrue();
    SessionDescription zero =
        parse(BOB_ANSWER.replace("c=IN IP4 host.biloxi.example.com", "c=IN IP4 0.0.0.0"));
    assertThat(OfferAnswer.isHold(zero, zero.media().get(0))).isTrue();
    assertThat(OfferAnswer.effectiveDirection(zero, zero.media().get(0)))
        .isEqualTo(Direction.SENDONLY);
  }

  @Test
  void anIceAgentsZeroAddressIsNotHold() {
    // JSEP §5.2.1: a browser that has no candidates yet writes c=IN IP4 0.0.0.0 (port 9)
    SessionDescription browser = dev.tandem.sdp.Captures.parse("chrome-offer-audio-only.sdp");
    SessionDescription early =
        browser.withMedia(
            0, m -> m.withConnections(List.of(dev.tandem.sdp.Connection.of("0.0.0.0"))));
    assertThat(OfferAnswer.isHold(early, early.media().get(0))).isFalse();
    assertThat(OfferAnswer.effectiveDirection(early, early.media().get(0)))
        .isEqualTo(Direction.SENDRECV);
  }

  @Test
  void rejectsAStreamInPlaceWithPortZero() throws SdpParseException {
    // RFC 4317 §2.4: Bob refuses video with port 0; the m-line stays where it was
    MediaDescription video = parse(ALICE_OFFER).media().get(1);
    MediaDescription rejected = OfferAnswer.reject(video);
    assertThat(rejected.isRejected()).isTrue();
    assertThat(rejected.toString()).isEqualTo("m=video 0 RTP/AVP 31 32\r\n");
    MediaDescription chromeVideo =
        dev.tandem.sdp.Captures.parse("chrome-offer-audio-video-datachannel.sdp").media().get(1);
    assertThat(OfferAnswer.reject(chromeVideo).mid()).contains("1");
  }

  @Test
  void carriesTheFirstUsableAudioStream() throws SdpParseException {
    assertThat(OfferAnswer.carriedAudio(parse(BOB_SECOND_OFFER))).hasValue(0);
    assertThat(
            OfferAnswer.carriedAudio(parse(BOB_SECOND_OFFER.replace("m=audio 65422", "m=audio 0"))))
        .hasValue(2);
    assertThat(
            OfferAnswer.carriedAudio(
                parse(BOB_ANSWER.replace("m=audio 49174 RTP/AVP 0", "m=audio 0 RTP/AVP 0"))))
        .isEmpty();
  }
}

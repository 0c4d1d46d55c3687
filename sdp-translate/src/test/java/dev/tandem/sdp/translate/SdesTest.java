package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sdp.Crypto;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SdesSuite;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 4568 crypto lines: the grammar the bridge takes and refuses, and the offer/answer rules. */
class SdesTest {
  /** RFC 3711 appendix B.3's master key and salt, as an inline key. */
  static final String B3_INLINE =
      Base64.getEncoder()
          .encodeToString(
              HexFormat.of()
                  .parseHex("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));

  private static final String BARESIP_KEY = "inline:" + B3_INLINE;

  private static String sip(String proto, String... extra) {
    StringBuilder sb =
        new StringBuilder(
            "v=0\r\n"
                + "o=- 1 1 IN IP4 127.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=audio 6000 "
                + proto
                + " 0 8 101\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-15\r\n");
    for (String e : extra) {
      sb.append(e).append("\r\n");
    }
    return sb.toString();
  }

  private static MediaDescription audio(String sdp) throws Exception {
    return SessionDescription.parse(sdp).media().get(0);
  }

  private static String refusal(Crypto c) {
    try {
      SdesKey.of(c);
      return "accepted";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  void readsTheInlineKeyOfEachSuite() {
    SdesKey key = SdesKey.of(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY));
    assertThat(key.tag()).isEqualTo(1);
    assertThat(key.suite()).isEqualTo(SdesSuite.AES_CM_128_HMAC_SHA1_80);
    assertThat(key.masterKey())
        .isEqualTo(HexFormat.of().parseHex("E1F97A0D3E018BE0D64FA32C06DE4139"));
    assertThat(key.masterSalt()).isEqualTo(HexFormat.of().parseHex("0EC675AD498AFEEBB6960B3AABE6"));
    assertThat(key.toCrypto().toAttribute().value())
        .contains("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY);
    // RFC 7714 §12: 16-byte key and 12-byte salt, with or without base64 padding
    byte[] gcm = new byte[28];
    String padded = Base64.getEncoder().encodeToString(gcm);
    assertThat(SdesKey.of(Crypto.parse("7 AEAD_AES_128_GCM inline:" + padded)).suite())
        .isEqualTo(SdesSuite.AEAD_AES_128_GCM);
    assertThat(
            SdesKey.of(Crypto.parse("7 AEAD_AES_128_GCM inline:" + padded.replace("=", "")))
                .masterSalt())
        .hasSize(12);
    assertThat(SdesKey.of(Crypto.parse("2 AES_CM_128_HMAC_SHA1_32 " + BARESIP_KEY)).suite())
        .isEqualTo(SdesSuite.AES_CM_128_HMAC_SHA1_32);
  }

  @Test
  void refusesWhatItDoesNotDoNamingTheProblem() {
    assertThat(refusal(Crypto.parse("1 AES_256_CM_HMAC_SHA1_80 " + BARESIP_KEY)))
        .isEqualTo("a=crypto:1 AES_256_CM_HMAC_SHA1_80: unknown crypto suite");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|2^20")))
        .contains("a key lifetime is not supported");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|1:4")))
        .contains("an MKI is not supported");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|2^20|1:4")))
        .contains("not supported");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:not*base64!")))
        .contains("the inline key is not base64");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:QUJDRA==")))
        .contains("the inline key has 4 bytes, AES_CM_128_HMAC_SHA1_80 needs 30");
    assertThat(refusal(Crypto.parse("1 AEAD_AES_128_GCM " + BARESIP_KEY)))
        .contains("has 30 bytes, AEAD_AES_128_GCM needs 28");
    assertThat(
            refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + " UNENCRYPTED_SRTP")))
        .contains("session parameters are not supported");
    assertThat(
            refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + ";" + BARESIP_KEY)))
        .contains("more than one key");
    assertThat(refusal(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 uri:https://k.example/")))
        .contains("only inline: keys");
  }

  @Test
  void neverShowsTheKey() {
    Crypto line = Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|2^20|1:4");
    assertThat(line.toString()).doesNotContain(B3_INLINE).contains("inline:***|2^20|1:4");
    assertThat(line.redacted()).isEqualTo("1 AES_CM_128_HMAC_SHA1_80 inline:***|2^20|1:4");
    assertThat(SdesKey.of(Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY)).toString())
        .doesNotContain(B3_INLINE);
  }

  @Test
  void anSavpOfferIsAnsweredWithOneOfItsLinesOrRefused() throws Exception {
    String good = "a=crypto:3 AES_CM_128_HMAC_SHA1_32 " + BARESIP_KEY;
    String better = "a=crypto:4 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY;
    String bad = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|2^20";
    Optional<SdesKey> chosen =
        Sdes.acceptOffer(audio(sip("RTP/SAVP", bad, good, better)), MediaEncryption.PLAIN);
    assertThat(chosen).hasValueSatisfying(k -> assertThat(k.tag()).isEqualTo(4));
    assertThat(Sdes.acceptOffer(audio(sip("RTP/SAVPF", good)), MediaEncryption.SDES_REQUIRED))
        .hasValueSatisfying(
            k -> assertThat(k.suite()).isEqualTo(SdesSuite.AES_CM_128_HMAC_SHA1_32));
    assertThatThrownBy(() -> Sdes.acceptOffer(audio(sip("RTP/SAVP")), MediaEncryption.PLAIN))
        .isInstanceOf(SdpTranslationException.class)
        .hasMessage("RTP/SAVP offered without an a=crypto line");
    assertThatThrownBy(() -> Sdes.acceptOffer(audio(sip("RTP/SAVP", bad)), MediaEncryption.PLAIN))
        .hasMessageContaining(
            "no usable a=crypto line: a=crypto:1 AES_CM_128_HMAC_SHA1_80: a key lifetime");
    assertThat(Sdes.acceptOffer(audio(sip("RTP/AVP", good)), MediaEncryption.SDES_PREFERRED))
        .isEmpty();
    assertThatThrownBy(() -> Sdes.acceptOffer(audio(sip("RTP/AVP")), MediaEncryption.SDES_REQUIRED))
        .hasMessageContaining("SRTP is required")
        .hasMessageContaining("plain RTP/AVP");
  }

  @Test
  void anAnswerMustFitTheOfferAndThePolicy() throws Exception {
    SecureRandom random = new SecureRandom();
    List<SdesKey> offered =
        List.of(
            SdesKey.generate(1, SdesSuite.AES_CM_128_HMAC_SHA1_80, random),
            SdesKey.generate(2, SdesSuite.AES_CM_128_HMAC_SHA1_32, random));
    assertThat(
            Sdes.acceptAnswer(
                audio(sip("RTP/SAVP", "a=crypto:2 AES_CM_128_HMAC_SHA1_32 " + BARESIP_KEY)),
                offered,
                MediaEncryption.SDES_REQUIRED))
        .hasValueSatisfying(k -> assertThat(k.tag()).isEqualTo(2));
    assertThat(Sdes.acceptAnswer(audio(sip("RTP/AVP")), offered, MediaEncryption.SDES_PREFERRED))
        .isEmpty();
    assertThatThrownBy(
            () -> Sdes.acceptAnswer(audio(sip("RTP/AVP")), offered, MediaEncryption.SDES_REQUIRED))
        .hasMessage("no SRTP in the answer (RTP/AVP), but media-encryption is sdes-required");
    assertThatThrownBy(
            () ->
                Sdes.acceptAnswer(
                    audio(sip("RTP/SAVP", "a=crypto:2 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY)),
                    offered,
                    MediaEncryption.SDES_PREFERRED))
        .hasMessageContaining("matches no offered line");
    assertThatThrownBy(
            () ->
                Sdes.acceptAnswer(audio(sip("RTP/SAVP")), offered, MediaEncryption.SDES_PREFERRED))
        .hasMessageContaining("RFC 4568 section 7.1.3 needs one");
    assertThatThrownBy(
            () ->
                Sdes.acceptAnswer(
                    audio(sip("RTP/SAVP", "a=crypto:1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY)),
                    List.of(),
                    MediaEncryption.PLAIN))
        .hasMessageContaining("to a plain RTP/AVP offer");
  }

  @Test
  void theTranslatorWritesSavpWithCryptoAndNeverSavpWithout() throws Exception {
    SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());
    SessionDescription browser = dev.tandem.sdp.Captures.parse("chrome-offer-audio-only.sdp");
    PlainEndpoint relay = PlainEndpoint.of("192.0.2.1", 40000);
    SecureRandom random = new SecureRandom();
    List<SdesKey> ours =
        List.of(
            SdesKey.generate(1, SdesSuite.AES_CM_128_HMAC_SHA1_80, random),
            SdesKey.generate(2, SdesSuite.AES_CM_128_HMAC_SHA1_32, random));
    MediaDescription offer = translator.toPlainOffer(browser, relay, ours).sdp().media().get(0);
    assertThat(offer.media().proto()).isEqualTo("RTP/SAVP");
    assertThat(offer.cryptos()).extracting(Crypto::tag).containsExactly(1, 2);
    assertThat(translator.toPlainOffer(browser, relay).sdp().media().get(0).media().proto())
        .isEqualTo("RTP/AVP");

    // baresip's RTP/SAVP offer, answered by a browser
    SessionDescription sipOffer =
        SessionDescription.parse(
            sip("RTP/SAVP", "a=crypto:5 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY));
    WebRtcEndpoint webrtc =
        new WebRtcEndpoint(
            "192.0.2.1",
            40002,
            WebRtcEndpoint.randomIceUfrag(),
            WebRtcEndpoint.randomIcePwd(),
            Fingerprint.of("sha-256", new byte[32]),
            Setup.ACTIVE,
            List.of());
    SessionDescription browserOffer = translator.toWebRtcOffer(sipOffer, webrtc).sdp();
    SessionDescription browserAnswer =
        SessionDescription.parse(
            browserOffer.toString().replace("a=setup:actpass", "a=setup:active"));
    SdesKey theirs = Sdes.acceptOffer(sipOffer.media().get(0), MediaEncryption.PLAIN).orElseThrow();
    SdesKey answerKey = SdesKey.generate(theirs.tag(), theirs.suite(), random);
    MediaDescription answer =
        translator
            .toPlainAnswer(browserAnswer, sipOffer, relay, Optional.of(answerKey))
            .sdp()
            .media()
            .get(0);
    assertThat(answer.media().proto()).isEqualTo("RTP/SAVP");
    assertThat(answer.cryptos()).hasSize(1);
    assertThat(answer.cryptos().get(0).tag()).as("the offer's tag").isEqualTo(5);
    assertThat(SdesKey.of(answer.cryptos().get(0)).sameKey(theirs))
        .as("a key of our own")
        .isFalse();
    assertThatThrownBy(() -> translator.toPlainAnswer(browserAnswer, sipOffer, relay))
        .isInstanceOf(SdpTranslationException.class)
        .hasMessage("RTP/SAVP offered, but no SDES key to answer it with");
  }
}

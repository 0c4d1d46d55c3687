package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.Captures;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SDP over IPv6 both ways ({@code c=IN IP6}, {@code o=... IN IP6}), with real captures: SIPp's
 * offer on {@code ::1} and Chromium's answer from a namespace with {@code ::1} and {@code fd00::1}.
 */
class Ipv6TranslationTest {
  private static final String V4 = "203.0.113.10";
  private static final String V6 = "2001:db8::10";
  private static final RelayAddresses BOTH = new RelayAddresses(V4, Optional.of(V6));

  private final SdpTranslator translator = new SdpTranslator(TranslationOptions.defaults());
  private final SessionDescription sippV6 = Captures.parse("sipp-uac-offer-ipv6.sdp");
  private final SessionDescription sippV4 = Captures.parse("sipp-uac-offer.sdp");

  private static WebRtcEndpoint webRtc(String address, List<String> others) {
    return new WebRtcEndpoint(
        address,
        40000,
        "Tnd1",
        "TandemRelayPassword0123",
        Fingerprint.of("sha-256", new byte[32]),
        Setup.ACTIVE,
        others);
  }

  @Test
  void aSipOfferOnIpv6IsAnsweredFromTheRelaysIpv6Address() throws Exception {
    assertThat(sippV6.origin().unicastAddress()).as("SIPp brackets it").isEqualTo("[::1]");
    String address = BOTH.toward(sippV6, "the SIP side's offer");
    assertThat(address).isEqualTo(V6);

    SessionDescription toBrowser =
        translator.toWebRtcOffer(sippV6, webRtc(BOTH.primary(), List.of(V6))).sdp();
    assertThat(toBrowser.media().get(0).candidates())
        .extracting(Candidate::address)
        .containsExactly(V4, V6);

    SessionDescription chrome = Captures.parse("chrome-answer-ipv6-to-tandem-offer.sdp");
    String answer =
        translator.toPlainAnswer(chrome, sippV6, PlainEndpoint.of(address, 30000)).sdp().toString();
    assertThat(answer)
        .contains("\r\nc=IN IP6 2001:db8::10\r\n")
        .containsPattern("\r\no=\\S+ \\d+ \\d+ IN IP6 2001:db8::10\r\n")
        .doesNotContain("IP4")
        .doesNotContain("candidate");
    SessionDescription reread = SessionDescription.parse(answer);
    assertThat(reread.connection(reread.media().get(0))).contains(new Connection("IN", "IP6", V6));
  }

  @Test
  void aBrowserOfferTowardARelayOnIpv6BecomesAPlainOfferOnIpv6() throws Exception {
    SessionDescription chrome = Captures.parse("chrome-offer-audio-only.sdp");
    String offer = translator.toPlainOffer(chrome, PlainEndpoint.of("::1", 30000)).sdp().toString();
    assertThat(offer).contains("\r\nc=IN IP6 ::1\r\n").contains(" IN IP6 ::1\r\n");
    assertThat(offer).doesNotContain("IN IP4");
  }

  @Test
  void aSipAnswerOnIpv6BecomesABrowserAnswerWithTheRelaysIpv6Candidate() throws Exception {
    SessionDescription chrome = Captures.parse("e2e-rtpengine-1-chrome-offer.sdp");
    SessionDescription sipp =
        SessionDescription.parse(
            Captures.text("e2e-rtpengine-3-sipp-answer.sdp")
                .replace("IN IP4 127.0.0.1", "IN IP6 ::1"));
    assertThat(RelayAddresses.of("::1").toward(sipp, "the SIP side's answer")).isEqualTo("::1");
    SessionDescription answer =
        translator.toWebRtcAnswer(sipp, chrome, webRtc("::1", List.of())).sdp();
    MediaDescription audio = answer.media().get(0);
    assertThat(answer.connection(audio)).contains(new Connection("IN", "IP6", "::1"));
    assertThat(audio.candidates()).singleElement().extracting(Candidate::address).isEqualTo("::1");
    assertThat(answer.origin().addrtype()).isEqualTo("IP6");
  }

  @Test
  void aRelayWithoutTheSipPeersFamilyRefusesNamingTheLine() {
    assertThatThrownBy(() -> RelayAddresses.of(V4).toward(sippV6, "the SIP side's offer"))
        .isInstanceOf(SdpTranslationException.class)
        .hasMessage(
            "the SIP side's offer puts its media on IPv6 (c=IN IP6 ::1), and the relay has no IPv6"
                + " address (it has 203.0.113.10)");
    assertThatThrownBy(() -> RelayAddresses.of("::1").toward(sippV4, "the SIP side's answer"))
        .isInstanceOf(SdpTranslationException.class)
        .hasMessageContaining("(c=IN IP4 127.0.0.1)")
        .hasMessageContaining("no IPv4 address (it has ::1)");
  }

  @Test
  void aRelayWithBothFamiliesMeetsEachPeerOnItsOwn() throws Exception {
    assertThat(BOTH.toward(sippV4, "offer")).isEqualTo(V4);
    assertThat(BOTH.toward(sippV6, "offer")).isEqualTo(V6);
    RelayAddresses v6First = new RelayAddresses(V6, Optional.of(V4));
    assertThat(v6First.toward(sippV4, "offer")).isEqualTo(V4);
    assertThat(v6First.all()).containsExactly(V6, V4);
  }

  @Test
  void aHoldAddressOrNoAudioGetsThePrimary() throws Exception {
    SessionDescription held =
        SessionDescription.parse(
            Captures.text("sipp-uac-offer-ipv6.sdp").replace("c=IN IP6 ::1", "c=IN IP6 ::"));
    assertThat(RelayAddresses.of(V4).toward(held, "offer")).isEqualTo(V4);
  }

  @Test
  void twoAddressesMustBeOfEachFamily() {
    assertThatThrownBy(() -> new RelayAddresses(V4, Optional.of("198.51.100.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one IPv4 and one IPv6 address");
    assertThatThrownBy(() -> new RelayAddresses("::1", Optional.of(V6)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RelayAddresses.of("not an address!"))
        .hasMessageContaining("not an IP address or host name: not an address!");
  }

  @Test
  void eachRelayAddressIsAHostCandidateTheFirstPreferred() {
    List<Candidate> candidates = webRtc(V4, List.of(V6)).candidates();
    assertThat(candidates).extracting(Candidate::address).containsExactly(V4, V6);
    assertThat(candidates).extracting(Candidate::foundation).containsExactly("1", "2");
    // RFC 8445 §5.1.2.1: type preference 126, local preference 65535 then 65534, component 1
    assertThat(candidates)
        .extracting(Candidate::priority)
        .containsExactly((126L << 24) + (65535L << 8) + 255, (126L << 24) + (65534L << 8) + 255);
    assertThat(candidates.get(1).toValue())
        .isEqualTo("2 1 udp 2130706175 2001:db8::10 40000 typ host");
  }

  @Test
  void aTricklingBrowsersIpv6CandidateBecomesItsDefaultAddress() throws Exception {
    // Chromium's candidate from the IPv6 namespace, trickled onto a description with c=0.0.0.0
    String gathered = Captures.text("chrome-answer-ipv6-to-tandem-offer.sdp");
    SessionDescription early =
        SessionDescription.parse(
            gathered
                .replaceAll("a=candidate:[^\r]*\r\n", "")
                .replace("m=audio 50786", "m=audio 9")
                .replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0"));
    Candidate v6 =
        Candidate.parse(
            "candidate:2277566869 1 udp 2122134271 fd00::1 52014 typ host generation 0 ufrag w8t7"
                + " network-id 3");
    SessionDescription merged = Trickle.addCandidate(early, Optional.of("0"), 0, v6);
    assertThat(merged.media().get(0).candidates()).containsExactly(v6);
    SessionDescription fixed = Trickle.withDefaultCandidates(merged);
    assertThat(fixed.connection(fixed.media().get(0)))
        .contains(new Connection("IN", "IP6", "fd00::1"));
    assertThat(fixed.media().get(0).media().port()).isEqualTo(52014);
  }
}

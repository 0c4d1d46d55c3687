package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.Captures;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrickleTest {
  private final SessionDescription offer =
      Captures.parse("chrome-offer-audio-video-datachannel.sdp");
  private final Candidate srflx =
      Candidate.parse(
          "candidate:842163049 1 udp 1677729535 198.51.100.7 46154 typ srflx raddr 10.0.0.2 rport 46154");

  @Test
  void addsALateCandidateAfterTheOthersOfItsSection() {
    SessionDescription merged = Trickle.addCandidate(offer, Optional.of("1"), 0, srflx);
    assertThat(merged.media().get(1).candidates()).endsWith(srflx);
    assertThat(merged.media().get(1).candidates())
        .hasSize(offer.media().get(1).candidates().size() + 1);
    assertThat(merged.media().get(0)).isEqualTo(offer.media().get(0));
    int last = merged.media().get(1).attributes().indexOf(srflx.toAttribute());
    assertThat(merged.media().get(1).attributes().get(last - 1).name()).isEqualTo("candidate");
  }

  @Test
  void findsTheSectionByIndexWhenNoMidIsGiven() {
    SessionDescription merged = Trickle.addCandidate(offer, Optional.empty(), 2, srflx);
    assertThat(merged.media().get(2).candidates()).contains(srflx);
  }

  @Test
  void ignoresDuplicatesStaleGenerationsAndCandidatesAfterTheEnd() {
    SessionDescription once = Trickle.addCandidate(offer, Optional.of("0"), 0, srflx);
    assertThat(Trickle.addCandidate(once, Optional.of("0"), 0, srflx)).isEqualTo(once);
    Candidate stale = Candidate.parse(srflx.toValue() + " ufrag oldFrag");
    assertThat(Trickle.addCandidate(offer, Optional.of("0"), 0, stale)).isEqualTo(offer);
    String ufrag = offer.media().get(0).iceUfrag().orElseThrow();
    Candidate current = Candidate.parse(srflx.toValue() + " ufrag " + ufrag);
    assertThat(
            Trickle.addCandidate(offer, Optional.of("0"), 0, current).media().get(0).candidates())
        .contains(current);
    SessionDescription ended = Trickle.endOfCandidates(offer, Optional.of("0"));
    assertThat(Trickle.addCandidate(ended, Optional.of("0"), 0, srflx)).isEqualTo(ended);
  }

  @Test
  void endOfCandidatesForOneSectionOrAll() {
    SessionDescription one = Trickle.endOfCandidates(offer, Optional.of("2"));
    assertThat(one.media())
        .extracting(m -> m.endOfCandidates())
        .containsExactly(false, false, true);
    SessionDescription all = Trickle.endOfCandidates(one, Optional.empty());
    assertThat(all.media()).allMatch(m -> m.endOfCandidates());
    assertThat(Trickle.endOfCandidates(all, Optional.empty())).isEqualTo(all);
  }

  @Test
  void aTricklingBrowsersZeroAddressIsReplacedByItsBestUdpCandidate() throws Exception {
    // Firefox's first description when it trickles: c=0.0.0.0, port 9, no candidate yet
    String gathered = Captures.text("firefox-offer-audio-only.sdp");
    String trickling =
        gathered
            .replaceAll("a=candidate:[^\r]*\r\n", "")
            .replace("a=end-of-candidates\r\n", "")
            .replace("m=audio 58207", "m=audio 9")
            .replace("c=IN IP4 192.0.2.2", "c=IN IP4 0.0.0.0");
    SessionDescription early = SessionDescription.parse(trickling);
    assertThat(Trickle.hasDefaultAddresses(early)).isFalse();
    assertThat(Trickle.withDefaultCandidates(early)).isEqualTo(early);

    Candidate tcp =
        Candidate.parse("candidate:4 1 TCP 2105327871 127.0.0.1 9 typ host tcptype active");
    Candidate rtcp = Candidate.parse("candidate:0 2 UDP 2122055934 127.0.0.1 33113 typ host");
    Candidate low = Candidate.parse("candidate:0 1 UDP 2122055935 127.0.0.1 34123 typ host");
    Candidate high = Candidate.parse("candidate:2 1 UDP 2122187007 192.0.2.2 58207 typ host");
    SessionDescription merged = early;
    for (Candidate c : java.util.List.of(tcp, rtcp)) {
      merged = Trickle.addCandidate(merged, Optional.of("0"), 0, c);
    }
    assertThat(Trickle.hasDefaultAddresses(merged))
        .as("no UDP candidate of component 1 yet")
        .isFalse();
    merged = Trickle.addCandidate(merged, Optional.of("0"), 0, low);
    merged = Trickle.addCandidate(merged, Optional.of("0"), 0, high);
    assertThat(Trickle.hasDefaultAddresses(merged)).isTrue();
    SessionDescription fixed = Trickle.withDefaultCandidates(merged);
    assertThat(fixed.media().get(0).media().port()).isEqualTo(58207);
    assertThat(fixed.connection(fixed.media().get(0)).orElseThrow().connectionAddress())
        .isEqualTo("192.0.2.2");
    assertThat(OfferAnswer.isHold(fixed, fixed.media().get(0))).isFalse();
    // a gathered description is left alone
    SessionDescription whole = SessionDescription.parse(gathered);
    assertThat(Trickle.hasDefaultAddresses(whole)).isTrue();
    assertThat(Trickle.withDefaultCandidates(whole)).isEqualTo(whole);
  }

  @Test
  void refusesAnUnknownSection() {
    assertThatThrownBy(() -> Trickle.addCandidate(offer, Optional.of("9"), 0, srflx))
        .hasMessage("no media section has a=mid:9");
    assertThatThrownBy(() -> Trickle.addCandidate(offer, Optional.empty(), 3, srflx))
        .hasMessage("no media section at index 3");
  }

  @Test
  void aBundledSectionWithoutCandidatesSharesItsTagsDefaultAddress() throws Exception {
    // Chromium's gathered answer to an audio+video offer: video bundled onto audio, port 9 and
    // c=0.0.0.0, no candidates of its own
    SessionDescription answer =
        SessionDescription.parse(
            String.join(
                "\r\n",
                "v=0",
                "o=- 1 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0 1",
                "m=audio 50020 UDP/TLS/RTP/SAVPF 0",
                "c=IN IP4 127.0.0.1",
                "a=candidate:1 1 udp 2122260223 127.0.0.1 50020 typ host",
                "a=ice-ufrag:abcd",
                "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                "a=mid:0",
                "m=video 9 UDP/TLS/RTP/SAVPF 96",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:abcd",
                "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                "a=mid:1",
                "a=rtpmap:96 VP8/90000",
                ""));
    assertThat(Trickle.hasDefaultAddresses(answer)).isTrue();
    SessionDescription fixed = Trickle.withDefaultCandidates(answer);
    MediaDescription video = fixed.media().get(1);
    assertThat(video.media().port()).isEqualTo(50020);
    assertThat(fixed.connection(video).orElseThrow().connectionAddress()).isEqualTo("127.0.0.1");
    // while the tag itself has no address yet, the bundle has none
    SessionDescription early =
        SessionDescription.parse(
            answer
                .toString()
                .replace("a=candidate:1 1 udp 2122260223 127.0.0.1 50020 typ host\r\n", "")
                .replace("m=audio 50020", "m=audio 9")
                .replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0"));
    assertThat(Trickle.hasDefaultAddresses(early)).isFalse();
  }
}

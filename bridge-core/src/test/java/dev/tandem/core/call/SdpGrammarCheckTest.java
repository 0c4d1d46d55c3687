package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.vocabulary.Refusal;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SdpGrammarCheckTest {
  private final SdpGrammarCheck check = new SdpGrammarCheck();

  private static final String CHROME =
      "v=0\r\no=- 4470726129028295202 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
          + "m=audio 45183 UDP/TLS/RTP/SAVPF 111 0 8 126\r\nc=IN IP4 127.0.0.1\r\na=mid:0\r\n"
          + "a=rtpmap:111 opus/48000/2\r\n";

  private Optional<String> problem(String sdp) {
    return check.check(sdp).map(Outcome.Refused::message);
  }

  @Test
  void acceptsRealOffersWithCrlfOrLf() {
    assertThat(check.check(CHROME)).isEmpty();
    assertThat(check.check(CHROME.replace("\r\n", "\n"))).isEmpty();
  }

  @Test
  void refusesWithTheLineNumberAndWhatWasExpected() {
    assertThat(
            check.check(CHROME.replace("m=audio 45183 UDP/TLS/RTP/SAVPF 111 0 8 126", "m=audio")))
        .contains(
            new Outcome.Refused(
                Refusal.BAD_SDP,
                "line 6: m= needs <media> <port> <proto> <fmt>...",
                OptionalInt.of(6)));
    assertThat(problem(CHROME.replace("c=IN IP4 127.0.0.1", "c=IN IPX 1")))
        .contains("line 7: c= needs IN IP4|IP6 <address>");
    assertThat(problem(CHROME.replace("opus/48000/2", "opus")))
        .contains(
            "line 9: a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<encoding"
                + " parameters>] with a payload type from 0 to 127");
    assertThat(problem("")).contains("line 1: v=0 must be the first line (the SDP is empty)");
  }

  /**
   * Real audio+video descriptions (captured on loopback for issue 19: Chromium 156, Firefox ESR
   * 153, baresip 1.0.0 with vp8): two m-lines, BUNDLE, a bundled m-line at port 9 and 0.0.0.0,
   * rtcp-fb, ssrc-group, extmap; the check must let all of them through.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "chrome-offer-audio-video",
        "firefox-offer-audio-video",
        "chrome-answer-to-tandem-av-offer",
        "firefox-answer-to-tandem-av-offer",
        "baresip-offer-audio-video-vp8"
      })
  void acceptsRealAudioAndVideoDescriptions(String name) throws Exception {
    String sdp;
    try (var in = getClass().getResourceAsStream("/sdp/video/" + name + ".sdp")) {
      sdp = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(sdp).contains("m=audio ").contains("m=video ");
    assertThat(problem(sdp)).isEmpty();
  }
}

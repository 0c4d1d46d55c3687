package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a SIP peer sees of rtpengine 10.5's rewrite of a real Chromium audio+video offer. */
class SipSdpTrimTest {
  static String resource(String name) throws Exception {
    try (InputStream in = SipSdpTrimTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aVideoOfferKeepsItsCodecsAndOnlyTheFeedbackASipPhoneUses() throws Exception {
    String trimmed =
        SipSdpTrim.towardSip(resource("rtpengine-10.5-offer-to-sip-from-chrome-av.sdp"));
    assertThat(trimmed)
        .contains("m=video 39140 RTP/AVP 96 102 104 108 114 116 39 98 100")
        .contains("a=rtpmap:96 VP8/90000", "a=rtpmap:98 VP9/90000", "a=rtpmap:102 H264/90000")
        .contains(
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f")
        .contains("a=rtcp-fb:96 nack\r\n", "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96 ccm fir")
        .contains("a=rtcp:39141")
        .doesNotContain("goog-remb", "transport-cc", "rtx/", "ulpfec", "red/", "AV1")
        .doesNotContain("a=ssrc", "a=msid", "a=mid", "rtcp-rsize", "extmap", "a=group");
    assertThat(trimmed.split("a=rtcp-fb:", -1))
        .as("nack, nack pli, ccm fir of 9 formats")
        .hasSize(28);
  }

  @Test
  void feedbackOfAnyCaseIsKeptAndUnknownKindsDropped() {
    String sdp =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 4000 RTP/AVP 96\r\n"
            + "c=IN IP4 127.0.0.1\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:* CCM FIR\r\n"
            + "a=rtcp-fb:96 ccm tmmbr\r\na=rtcp-fb:96 nack sli\r\n";
    assertThat(SipSdpTrim.towardSip(sdp))
        .contains("a=rtcp-fb:* CCM FIR")
        .doesNotContain("tmmbr", "sli");
  }
}

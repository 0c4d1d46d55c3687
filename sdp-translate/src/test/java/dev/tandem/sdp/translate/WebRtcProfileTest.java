package dev.tandem.sdp.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.Captures;
import dev.tandem.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

class WebRtcProfileTest {
  private static boolean webRtc(String capture) throws Exception {
    return WebRtcProfile.of(SessionDescription.parse(Captures.text(capture)));
  }

  @Test
  void browsersOffersAndAnswersAreInTheWebRtcForm() throws Exception {
    assertThat(webRtc("chrome-offer-audio-only.sdp")).isTrue();
    assertThat(webRtc("firefox-offer-audio-only.sdp")).isTrue();
    assertThat(webRtc("chrome-answer-audio-only.sdp")).isTrue();
    assertThat(webRtc("rtpengine-answer-rewritten-from-sipp-to-webrtc.sdp")).isTrue();
  }

  @Test
  void phonesAndPlainRtpAreNot() throws Exception {
    assertThat(webRtc("sipp-uac-offer.sdp")).isFalse();
    assertThat(webRtc("baresip-offer-to-sipp.sdp")).isFalse();
    assertThat(webRtc("linphone-offer-to-sip.sdp")).isFalse();
    assertThat(webRtc("rtpengine-offer-rewritten-from-chrome-to-plain-rtp.sdp")).isFalse();
  }

  @Test
  void savpfWithoutIceOrFingerprintIsNot() throws Exception {
    String noIce =
        Captures.text("chrome-offer-audio-only.sdp")
            .replaceAll("(?m)^a=ice-(ufrag|pwd):.*\\r?\\n", "");
    assertThat(WebRtcProfile.of(SessionDescription.parse(noIce))).isFalse();
    String noFingerprint =
        Captures.text("chrome-offer-audio-only.sdp").replaceAll("(?m)^a=fingerprint:.*\\r?\\n", "");
    assertThat(WebRtcProfile.of(SessionDescription.parse(noFingerprint))).isFalse();
  }
}

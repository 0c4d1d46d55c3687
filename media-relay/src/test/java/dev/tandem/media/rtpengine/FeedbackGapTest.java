package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeedbackGapTest {
  private static String sip(String video) {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        + video;
  }

  @Test
  void videoFromAnAvpSideNeedsTheBridgeToAskForKeyFrames() {
    assertThat(
            FeedbackGap.videoWithoutFeedback(
                sip("m=video 4002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n")))
        .isTrue();
    assertThat(FeedbackGap.videoWithoutFeedback(sip("m=video 4002 RTP/SAVP 96\r\na=sendonly\r\n")))
        .isTrue();
  }

  @Test
  void noGapWithFeedbackOrWhenTheSipSideSendsNoVideo() {
    assertThat(FeedbackGap.videoWithoutFeedback(sip("m=video 4002 RTP/AVPF 96\r\n")))
        .as("AVPF")
        .isFalse();
    assertThat(FeedbackGap.videoWithoutFeedback(sip("m=video 0 RTP/AVP 96\r\n")))
        .as("refused")
        .isFalse();
    assertThat(FeedbackGap.videoWithoutFeedback(sip("m=video 4002 RTP/AVP 96\r\na=recvonly\r\n")))
        .as("camera off at the SIP side")
        .isFalse();
    assertThat(FeedbackGap.videoWithoutFeedback(sip(""))).as("audio only").isFalse();
    assertThat(FeedbackGap.videoWithoutFeedback("not sdp")).isFalse();
  }

  @Test
  void anAnswerAcceptsVideoWhenItReceivesIt() {
    assertThat(FeedbackGap.videoAccepted(sip("m=video 4002 RTP/AVP 96\r\n"))).isTrue();
    assertThat(FeedbackGap.videoAccepted(sip("m=video 4002 RTP/AVP 96\r\na=recvonly\r\n")))
        .isTrue();
    assertThat(FeedbackGap.videoAccepted(sip("m=video 0 RTP/AVP 96\r\n"))).isFalse();
    assertThat(FeedbackGap.videoAccepted(sip("m=video 4002 RTP/AVP 96\r\na=sendonly\r\n")))
        .as("the browser sends only: it receives no video")
        .isFalse();
    assertThat(FeedbackGap.videoAccepted("not sdp")).isFalse();
  }
}

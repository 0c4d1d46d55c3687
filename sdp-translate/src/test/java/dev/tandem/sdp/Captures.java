package dev.tandem.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The real SDP captures under {@code src/test/resources/sdp}, copied from ../shared/testdata. */
public final class Captures {
  private Captures() {}

  public static final List<String> ALL =
      List.of(
          "baresip-answer-to-sipp.sdp",
          "baresip-offer-to-sipp.sdp",
          "chrome-answer-audio-only.sdp",
          "chrome-offer-audio-only.sdp",
          "chrome-offer-audio-video-datachannel.sdp",
          "e2e-rtpengine-1-chrome-offer.sdp",
          "e2e-rtpengine-2-offer-to-sip.sdp",
          "e2e-rtpengine-3-sipp-answer.sdp",
          "e2e-rtpengine-4-answer-to-chrome.sdp",
          "chrome-answer-to-tandem-offer.sdp",
          "chrome-answer-ipv6-to-tandem-offer.sdp",
          "firefox-answer-to-tandem-offer.sdp",
          "firefox-offer-audio-only.sdp",
          "linphone-offer-to-sip.sdp",
          "rtpengine-answer-rewritten-from-sipp-to-webrtc.sdp",
          "rtpengine-offer-rewritten-from-chrome-av-datachannel.sdp",
          "rtpengine-offer-rewritten-from-chrome-to-plain-rtp.sdp",
          "sipp-uac-offer.sdp",
          "sipp-uac-offer-ipv6.sdp",
          "sipp-uas-answer.sdp",
          "baresip-answer-audio-video-vp8.sdp",
          "baresip-answer-to-h264-only-video.sdp",
          "baresip-offer-audio-video-vp8.sdp",
          "chrome-answer-to-tandem-av-offer.sdp",
          "chrome-offer-audio-video.sdp",
          "firefox-answer-to-tandem-av-offer.sdp",
          "firefox-offer-audio-video.sdp",
          "plain-offer-h264-only-to-baresip.sdp",
          "plain-offer-vp8-h264-to-baresip.sdp",
          "tandem-av-offer-to-browsers.sdp");

  public static String text(String name) {
    try (InputStream in = Captures.class.getResourceAsStream("/sdp/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no capture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static SessionDescription parse(String name) {
    try {
      return SessionDescription.parse(text(name));
    } catch (SdpParseException e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
  }
}

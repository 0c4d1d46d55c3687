package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Video calls of the SDK client of a signed-in demo page ({@link Softphone}), through the SDK's video
 * options: it dials and answers with the browser's fake camera ({@code client.call(to, {video:
 * true})}, {@code call.answer({video: true})}), turns the camera off and on ({@code
 * call.setVideo}), plays what it receives, and reads what getStats says about the call's video and
 * audio.
 */
final class BrowserVideo {
  /** What getStats says about the current call, read in one go. */
  record Media(
      long videoFramesDecoded,
      long videoFramesSent,
      long audioPacketsReceived,
      long audioPacketsSent,
      double audioEnergy,
      String callState) {}

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String INSTALL =
      """
      (() => {
        if (window.e2eVideo) return true;
        const v = {
          call: null,
          incoming: null,
          // the page plays what it hears, as the demo does: only audio played out has an energy
          play() {
            const audio = document.getElementById('remote-audio');
            audio.srcObject = this.call.remoteStream;
            audio.play().catch(() => {});
          },
          transceiver() {
            return this.call.pc.getTransceivers().find((t) => t.currentDirection !== 'stopped' && t.receiver.track.kind === 'video');
          },
        };
        window.tandemDemo.client.on('incoming', (c) => { v.incoming = c; });
        window.e2eVideo = v;
        return true;
      })()
      """;

  private static final String MEDIA_JS =
      """
      (async () => {
        const call = window.e2eVideo.call;
        if (!call || !call.pc) return null;
        const stats = await call.pc.getStats();
        const m = { videoFramesDecoded: 0, videoFramesSent: 0, audioPacketsReceived: 0,
                    audioPacketsSent: 0, audioEnergy: 0, callState: call.state };
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') m.videoFramesDecoded += s.framesDecoded ?? 0;
          if (s.type === 'outbound-rtp' && s.kind === 'video') m.videoFramesSent += s.framesSent ?? s.framesEncoded ?? 0;
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            m.audioPacketsReceived += s.packetsReceived ?? 0;
            m.audioEnergy += s.totalAudioEnergy ?? 0;
          }
          if (s.type === 'outbound-rtp' && s.kind === 'audio') m.audioPacketsSent += s.packetsSent ?? 0;
        });
        return m;
      })()
      """;

  final Softphone phone;

  private BrowserVideo(Softphone phone) {
    this.phone = phone;
  }

  /** Prepares a signed-in page for video calls; from now on it takes note of incoming calls. */
  static BrowserVideo of(Softphone phone) {
    phone.browser.eval(INSTALL);
    return new BrowserVideo(phone);
  }

  /** Calls {@code to} offering audio and video from the fake devices. */
  void dial(String to) {
    dial(to, true);
  }

  /** Calls {@code to} offering audio, and video from the fake camera when {@code video}. */
  void dial(String to, boolean video) {
    phone.browser.eval(
        "(async () => { const v = window.e2eVideo; v.call = await window.tandemDemo.client.call(%s, { video: %s }); v.play(); return true; })()"
            .formatted(quoted(to), video));
  }

  /** Waits for an incoming call, answers it with audio and video, and returns who is calling. */
  String answer() {
    String from = phone.browser.waitFor("window.e2eVideo.incoming && window.e2eVideo.incoming.peer", WAIT).asText();
    phone.browser.eval(
        "(async () => { const v = window.e2eVideo; v.call = v.incoming; v.incoming = null; await v.call.answer({ video: true }); v.play(); return true; })()");
    return from;
  }

  /** Waits until the call is answered (SDK state {@code active}). */
  void awaitActive() {
    phone.browser.waitFor("window.e2eVideo.call && window.e2eVideo.call.state === 'active'", WAIT);
  }

  Media media() {
    JsonNode m = phone.browser.eval(MEDIA_JS);
    assertThat(m.isNull()).as("%s has a call with a peer connection", phone.user).isFalse();
    return new Media(
        m.path("videoFramesDecoded").asLong(),
        m.path("videoFramesSent").asLong(),
        m.path("audioPacketsReceived").asLong(),
        m.path("audioPacketsSent").asLong(),
        m.path("audioEnergy").asDouble(),
        m.path("callState").asText(null));
  }

  private static final String PLI_JS =
      "(async () => { let n = 0; (await window.e2eVideo.call.pc.getStats()).forEach((s) => {"
          + " if (s.type === 'outbound-rtp' && s.kind === 'video') n += s.pliCount ?? 0; }); return n; })()";

  /** How many key-frame requests (RTCP PLI) the browser's video sender has received so far. */
  long picturesAsked() {
    return phone.browser.eval(PLI_JS).asLong();
  }

  /** How many key-frame requests (RTCP PLI) the browser's video receiver has sent so far. */
  long picturesWanted() {
    return phone
        .browser
        .eval(PLI_JS.replace("outbound-rtp", "inbound-rtp"))
        .asLong();
  }

  /** Waits until the browser's video sender has received at least {@code count} PLIs. */
  void awaitPicturesAsked(long count) {
    phone.browser.waitFor("(async () => (await %s) >= %d)()".formatted(PLI_JS, count), WAIT);
  }

  /** Waits until the browser has decoded {@code frames} more video frames than {@code before} (null: from the start). */
  Media awaitFramesDecoded(Media before, int frames) {
    long target = (before == null ? 0 : before.videoFramesDecoded()) + frames;
    phone.browser.waitFor(
        "(async () => { const m = await %s; return m && m.videoFramesDecoded >= %d; })()"
            .formatted(MEDIA_JS.strip(), target),
        WAIT);
    return media();
  }

  /** Waits until audio flows both ways: at least {@code packets} received and sent. */
  Media awaitAudioBothWays(int packets) {
    phone.browser.waitFor(
        "(async () => { const m = await %s; return m && m.audioPacketsReceived >= %d && m.audioPacketsSent >= %d; })()"
            .formatted(MEDIA_JS.strip(), packets, packets),
        WAIT);
    return media();
  }

  /**
   * Turns the camera off or on ({@code call.setVideo}: the SDK re-offers, adding a video m-line to
   * a call without one, and the bridge re-INVITEs a SIP peer) and waits until the renegotiation is
   * answered: off leaves the video {@code recvonly} (the peer's keeps coming), on makes it {@code
   * sendrecv}.
   */
  void camera(boolean on) {
    phone.browser.eval("(async () => { await window.e2eVideo.call.setVideo(%s); return true; })()".formatted(on));
    awaitVideoDirection(on ? "sendrecv" : "recvonly");
  }

  /** Waits until the negotiated direction of the video transceiver is {@code direction}, with no offer pending. */
  void awaitVideoDirection(String direction) {
    phone.browser.waitFor(
        "window.e2eVideo.call.pc.signalingState === 'stable' && window.e2eVideo.transceiver().currentDirection === '%s'"
            .formatted(direction),
        WAIT);
  }

  /** The SDP the bridge sent this browser last (its answer or its re-offer). */
  String remoteSdp() {
    return phone.browser.eval("window.e2eVideo.call.pc.remoteDescription.sdp").asText();
  }

  /** Hangs up and waits until the SDK says the call ended. */
  void hangUp() {
    phone.browser.eval("(async () => { await window.e2eVideo.call.hangup(); return true; })()");
    awaitEnded();
  }

  /** Hangs up the current call, if there is one that has not ended. */
  void hangUpIfInCall() {
    phone.browser.eval(
        "(async () => { const c = window.e2eVideo.call; if (c && c.state !== 'ended') await c.hangup(); return true; })()");
  }

  void awaitEnded() {
    phone.browser.waitFor("window.e2eVideo.call.state === 'ended'", WAIT);
  }

  private static String quoted(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}

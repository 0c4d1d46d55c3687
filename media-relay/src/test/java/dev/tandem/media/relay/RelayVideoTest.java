package dev.tandem.media.relay;

import static dev.tandem.media.relay.TestRtcp.concat;
import static dev.tandem.media.relay.TestRtcp.fir;
import static dev.tandem.media.relay.TestRtcp.pli;
import static dev.tandem.media.relay.TestRtcp.receiverReport;
import static dev.tandem.media.relay.TestRtcp.senderReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsHandshakes;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import dev.tandem.sdp.translate.PayloadTypeMap;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.bouncycastle.tls.DatagramTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call with audio and video through one relay endpoint on loopback: an in-JVM browser (ICE check,
 * DTLS server, SRTP) sends both streams bundled on one port, a SIP side receives them on two socket
 * pairs; payload types are renumbered per stream, RTCP goes where its SSRCs say, and key-frame
 * requests become RTCP feedback or a call to the key-frame listener.
 */
class RelayVideoTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String BROWSER_UFRAG = "browserUfrag";
  private static final String PWD = "relayPasswordForIceLite1";

  /** Browser VP8 96 is the SIP side's 100; its rtx 97 is not negotiated. */
  private static final int BROWSER_VP8 = 96;

  private static final int SIP_VP8 = 100;
  private static final int BROWSER_RTX = 97;
  private static final long BROWSER_AUDIO_SSRC = 0x11111111L;
  private static final long BROWSER_VIDEO_SSRC = 0x22222222L;
  private static final long SIP_AUDIO_SSRC = 0x33333333L;
  private static final long SIP_VIDEO_SSRC = 0x44444444L;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final AtomicInteger keyframesWanted = new AtomicInteger();
  private final RelayLoop loop;
  private final DtlsHandshakes handshakes = new DtlsHandshakes(1, 4);
  private final List<DatagramSocket> sockets = new ArrayList<>();
  private final RelayCall relay;
  private final SipStream video;
  private final DatagramSocket browser;
  private final DatagramSocket audioRtp;
  private final DatagramSocket audioRtcp;
  private final DatagramSocket videoRtp;
  private final DatagramSocket videoRtcp;
  private final SrtpContext browserSends;
  private final SrtpContext browserReceives;
  private final int webRtcPort;
  private int seq;

  RelayVideoTest() throws Exception {
    loop = new RelayLoop("test-video");
    int[] ports = freePairs(3);
    webRtcPort = ports[0];
    relay =
        loop.call(
                () -> {
                  RelayCall call =
                      new RelayCall(
                          "v",
                          loop,
                          new RelaySockets(LOOPBACK, 0),
                          ports[0],
                          ports[1],
                          "relayUfrag",
                          PWD,
                          now::get,
                          new RelayFailures(),
                          keyframesWanted::incrementAndGet,
                          Duration.ofMillis(500));
                  call.openVideo(ports[2]);
                  return call;
                })
            .get(3, TimeUnit.SECONDS);
    video = relay.video().orElseThrow();
    browser = socket();
    audioRtp = socket();
    audioRtcp = socket();
    videoRtp = socket();
    videoRtcp = socket();
    DtlsCertificate browserCertificate = DtlsCertificate.generate();
    DtlsCertificate relayCertificate = DtlsCertificate.generate();
    onLoop(
        () -> {
          relay.browserIce(BROWSER_UFRAG);
          relay.payloadTypes(new PayloadTypeMap(Map.of(0, 0, 126, 101)));
          video.payloadTypes = new PayloadTypeMap(Map.of(BROWSER_VP8, SIP_VP8));
          relay.audio.sipAddress(address(audioRtp), address(audioRtcp), false);
          video.sipAddress(address(videoRtp), address(videoRtcp), false);
        });
    iceCheck();
    onLoop(
        () ->
            relay.startDtls(
                handshakes,
                DtlsSrtp.Role.CLIENT,
                relayCertificate,
                browserCertificate.fingerprint(),
                5000));
    DtlsSrtpKeys keys =
        DtlsSrtp.handshake(
            DtlsSrtp.Role.SERVER,
            browserCertificate,
            relayCertificate.fingerprint(),
            new UdpTransport(browser));
    browserSends = keys.sender();
    browserReceives = keys.receiver();
    // the browser's keys are in place once the relay's side has them too: its first SRTP passes
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              fromBrowser(BROWSER_VP8, BROWSER_VIDEO_SSRC);
              return video.fromBrowser.get() > 0;
            });
    drain(videoRtp);
  }

  @AfterEach
  void close() throws Exception {
    loop.submit(relay::close).get(3, TimeUnit.SECONDS);
    loop.close();
    handshakes.close();
    sockets.forEach(DatagramSocket::close);
  }

  @Test
  void bothStreamsCrossOnTheirOwnSocketsWithPayloadTypesRenumbered() throws Exception {
    long setUp = video.fromBrowser.get(); // the video that proved the keys in place
    fromBrowser(0, BROWSER_AUDIO_SSRC);
    fromBrowser(BROWSER_VP8, BROWSER_VIDEO_SSRC);
    byte[] a = receive(audioRtp);
    assertThat(a[1] & 0x7F).isZero();
    assertThat(RtcpPackets.unsigned(a, 8)).isEqualTo(BROWSER_AUDIO_SSRC);
    byte[] v = receive(videoRtp);
    assertThat(v[1] & 0x7F).as("VP8 as the SIP side numbers it").isEqualTo(SIP_VP8);
    assertThat(RtcpPackets.unsigned(v, 8)).isEqualTo(BROWSER_VIDEO_SSRC);
    assertThat(v).hasSize(12 + 1200);

    send(videoRtp, rtp(SIP_VP8, SIP_VIDEO_SSRC, 1200), video.port);
    send(audioRtp, rtp(101, SIP_AUDIO_SSRC, 4), relay.audio.port);
    byte[] fromVideo = unprotect(receive(browser));
    assertThat(fromVideo[1] & 0x7F).as("VP8 as the browser numbers it").isEqualTo(BROWSER_VP8);
    assertThat(RtcpPackets.unsigned(fromVideo, 8)).isEqualTo(SIP_VIDEO_SSRC);
    byte[] fromAudio = unprotect(receive(browser));
    assertThat(fromAudio[1] & 0x7F).as("telephone-event").isEqualTo(126);

    RelayStats stats = relay.stats();
    assertThat(stats.packetsFromBrowser()).as("audio as it always was").isEqualTo(1);
    assertThat(stats.packetsFromSip()).isEqualTo(1);
    assertThat(stats.video().packetsFromBrowser()).isEqualTo(setUp + 1);
    assertThat(stats.video().packetsFromSip()).isEqualTo(1);
    assertThat(stats.video().bytesFromSip()).isEqualTo(12 + 1200);
    assertThat(relay.packetsFromBrowser()).as("activity counts both").isEqualTo(setUp + 2);
  }

  @Test
  void rtpOfNoNegotiatedPayloadTypeIsDroppedAndCounted() throws Exception {
    fromBrowser(BROWSER_RTX, 0x55555555L); // retransmissions: the relay does not repair
    fromBrowser(BROWSER_VP8, BROWSER_VIDEO_SSRC);
    byte[] v = receive(videoRtp); // one reader, in order: the rtx packet was handled before
    assertThat(RtcpPackets.unsigned(v, 8)).isEqualTo(BROWSER_VIDEO_SSRC);
    assertThat(relay.stats().unknownStreamDrops()).isEqualTo(1);
    assertThat(relay.stats().dropped()).isGreaterThanOrEqualTo(1);
    assertThat(relay.stats().toString()).contains("1 of no known stream");
  }

  @Test
  void theBrowsersRtcpGoesToTheStreamWhoseSsrcsItNamesAndTheSipSidesToTheBrowser()
      throws Exception {
    learnSipSsrcs();
    fromBrowserRtcp(receiverReport(0x01, SIP_VIDEO_SSRC));
    fromBrowserRtcp(receiverReport(0x01, SIP_AUDIO_SSRC));
    assertThat(RtcpPackets.unsigned(receive(videoRtcp), 8)).isEqualTo(SIP_VIDEO_SSRC);
    assertThat(RtcpPackets.unsigned(receive(audioRtcp), 8)).isEqualTo(SIP_AUDIO_SSRC);
    // a sender report of the browser's own video SSRC goes with the video too
    fromBrowserRtcp(senderReport(BROWSER_VIDEO_SSRC));
    assertThat(RtcpPackets.unsigned(receive(videoRtcp), 4)).isEqualTo(BROWSER_VIDEO_SSRC);

    send(videoRtcp, senderReport(SIP_VIDEO_SSRC), video.port + 1);
    byte[] rtcp = unprotectRtcp(receive(browser));
    assertThat(rtcp[1] & 0xFF).isEqualTo(RtcpPackets.SR);
    assertThat(RtcpPackets.unsigned(rtcp, 4)).isEqualTo(SIP_VIDEO_SSRC);
  }

  @Test
  void aBrowserPliReachesCoreOncePerIntervalWhenTheSipVideoHasNoRtcpFb() throws Exception {
    learnSipSsrcs();
    fromBrowserRtcp(pli(0x01, SIP_VIDEO_SSRC));
    fromBrowserRtcp(pli(0x01, SIP_VIDEO_SSRC)); // repeated at once: no second INFO
    // a compound of a report and a PLI: the report goes on, the PLI does not
    fromBrowserRtcp(concat(receiverReport(0x01, SIP_VIDEO_SSRC), pli(0x01, SIP_VIDEO_SSRC)));
    byte[] report = receive(videoRtcp);
    assertThat(report).as("the report alone: the PLIs before it were not sent").hasSize(32);
    assertThat(report[1] & 0xFF).isEqualTo(RtcpPackets.RR);
    assertThat(keyframesWanted.get()).isEqualTo(1);

    now.set(now.get().plusMillis(600));
    fromBrowserRtcp(fir(0x01, SIP_VIDEO_SSRC));
    Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> keyframesWanted.get() == 2);
  }

  @Test
  void aBrowserPliPassesAsRtcpWhenTheSipVideoTakesIt() throws Exception {
    video.keyframeFeedback = true; // its SDP had a=rtcp-fb:100 nack pli
    learnSipSsrcs();
    fromBrowserRtcp(pli(0x01, SIP_VIDEO_SSRC));
    byte[] pli = receive(videoRtcp);
    assertThat(pli).hasSize(RtcpPackets.PLI_LENGTH);
    assertThat(pli[1] & 0xFF).isEqualTo(RtcpPackets.PSFB);
    assertThat(RtcpPackets.unsigned(pli, 8)).isEqualTo(SIP_VIDEO_SSRC);
    assertThat(keyframesWanted.get()).isZero();
  }

  @Test
  void requestKeyframeSendsThePliTheBrowserCanUnprotect() throws Exception {
    loop.call(
            () -> {
              relay.requestKeyframe(true);
              return null;
            })
        .get(3, TimeUnit.SECONDS);
    byte[] pli = unprotectRtcp(receive(browser));
    assertThat(pli).hasSize(RtcpPackets.PLI_LENGTH);
    assertThat(pli[0] & 0x1F).as("FMT 1: PLI").isEqualTo(RtcpPackets.FMT_PLI);
    assertThat(pli[1] & 0xFF).isEqualTo(RtcpPackets.PSFB);
    assertThat(RtcpPackets.unsigned(pli, 8))
        .as("about the browser's video")
        .isEqualTo(BROWSER_VIDEO_SSRC);
    assertThat(RtcpPackets.unsigned(pli, 4))
        .as("from the relay's own SSRC")
        .isNotIn(BROWSER_VIDEO_SSRC, SIP_VIDEO_SSRC);
  }

  @Test
  void videoSwitchedOffStopsWhileAudioGoesOnAndComesBack() throws Exception {
    onLoop(video::stop); // the SIP side's re-INVITE with m=video 0
    fromBrowser(BROWSER_VP8, BROWSER_VIDEO_SSRC);
    fromBrowser(0, BROWSER_AUDIO_SSRC);
    receive(audioRtp);
    assertThat(nothingOn(videoRtp)).isTrue();
    onLoop(() -> video.sipAddress(address(videoRtp), address(videoRtcp), false));
    fromBrowser(BROWSER_VP8, BROWSER_VIDEO_SSRC);
    assertThat(receive(videoRtp)[1] & 0x7F).isEqualTo(SIP_VP8);
  }

  // ---- the browser and the SIP side

  private void learnSipSsrcs() throws Exception {
    send(videoRtp, rtp(SIP_VP8, SIP_VIDEO_SSRC, 100), video.port);
    send(audioRtp, rtp(0, SIP_AUDIO_SSRC, 160), relay.audio.port);
    receive(browser);
    receive(browser);
  }

  private void fromBrowser(int pt, long ssrc) throws Exception {
    byte[] buf = Arrays.copyOf(rtp(pt, ssrc, pt == 0 ? 160 : 1200), 1500);
    int n = browserSends.protect(buf, 0, pt == 0 ? 12 + 160 : 12 + 1200);
    send(browser, Arrays.copyOf(buf, n), webRtcPort);
  }

  private void fromBrowserRtcp(byte[] rtcp) throws Exception {
    byte[] buf = Arrays.copyOf(rtcp, rtcp.length + 64);
    int n = browserSends.protectRtcp(buf, 0, rtcp.length);
    send(browser, Arrays.copyOf(buf, n), webRtcPort);
  }

  private byte[] rtp(int pt, long ssrc, int payload) {
    byte[] p = new byte[12 + payload];
    p[0] = (byte) 0x80;
    p[1] = (byte) pt;
    seq++;
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    dev.tandem.media.BigEndian.writeInt(p, 8, (int) ssrc);
    return p;
  }

  private byte[] unprotect(byte[] srtp) {
    byte[] buf = Arrays.copyOf(srtp, srtp.length);
    int n = browserReceives.unprotect(buf, 0, buf.length);
    assertThat(n).as("SRTP the browser can unprotect").isPositive();
    return Arrays.copyOf(buf, n);
  }

  private byte[] unprotectRtcp(byte[] srtcp) {
    byte[] buf = Arrays.copyOf(srtcp, srtcp.length);
    int n = browserReceives.unprotectRtcp(buf, 0, buf.length);
    assertThat(n).as("SRTCP the browser can unprotect").isPositive();
    return Arrays.copyOf(buf, n);
  }

  private void iceCheck() throws Exception {
    byte[] check =
        new StunWriter(Stun.BINDING_REQUEST, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
            .attribute(
                Stun.USERNAME, ("relayUfrag:" + BROWSER_UFRAG).getBytes(StandardCharsets.UTF_8))
            .attribute(Stun.USE_CANDIDATE, new byte[0])
            .messageIntegrity(PWD.getBytes(StandardCharsets.UTF_8))
            .fingerprintAndBuild();
    send(browser, check, webRtcPort);
    byte[] response = receive(browser);
    assertThat(StunMessage.parse(response, 0, response.length).type())
        .isEqualTo(Stun.BINDING_SUCCESS);
  }

  private void onLoop(Runnable task) throws Exception {
    loop.submit(task).get(3, TimeUnit.SECONDS);
  }

  private DatagramSocket socket() throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    s.setSoTimeout(3000);
    sockets.add(s);
    return s;
  }

  private static InetSocketAddress address(DatagramSocket s) {
    return (InetSocketAddress) s.getLocalSocketAddress();
  }

  private static void send(DatagramSocket from, byte[] data, int port) throws Exception {
    from.send(new DatagramPacket(data, data.length, LOOPBACK, port));
  }

  private static byte[] receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1600];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.receive(p);
    return Arrays.copyOf(buf, p.getLength());
  }

  /** Nothing arrives within 300 ms (what was sent before has been handled by then). */
  private static boolean nothingOn(DatagramSocket s) throws Exception {
    s.setSoTimeout(300);
    try {
      s.receive(new DatagramPacket(new byte[1600], 1600));
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      s.setSoTimeout(3000);
    }
  }

  private static void drain(DatagramSocket s) throws Exception {
    while (!nothingOn(s)) {
      // packets of the set-up
    }
  }

  /** {@code count} even ports whose pairs are free now (the kernel's own picks, made even). */
  private static int[] freePairs(int count) throws Exception {
    int[] ports = new int[count];
    for (int i = 0; i < count; ) {
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int even = probe.getLocalPort() & ~1;
        probe.close();
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, even));
            DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, even + 1))) {
          if (Arrays.stream(ports).noneMatch(p -> p == even)) {
            ports[i++] = even;
          }
        } catch (java.net.BindException taken) {
          // another pair
        }
      }
    }
    return ports;
  }

  /** DTLS over the browser's socket to the relay's address (the one it last heard from). */
  private static final class UdpTransport implements DatagramTransport {
    private final DatagramSocket socket;
    private volatile java.net.SocketAddress peer;

    UdpTransport(DatagramSocket socket) {
      this.socket = socket;
    }

    @Override
    public int getReceiveLimit() {
      return 1500;
    }

    @Override
    public int getSendLimit() {
      return 1400;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws java.io.IOException {
      socket.setSoTimeout(Math.max(1, waitMillis));
      DatagramPacket p = new DatagramPacket(buf, off, len);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return -1;
      } finally {
        socket.setSoTimeout(3000);
      }
      peer = p.getSocketAddress();
      return p.getLength();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws java.io.IOException {
      if (peer != null) {
        socket.send(new DatagramPacket(buf, off, len, peer));
      }
    }

    @Override
    public void close() {}
  }
}

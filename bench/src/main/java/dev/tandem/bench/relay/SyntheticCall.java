package dev.tandem.bench.relay;

import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunException;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.WebRtcEndpoint;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * One call of the load: a synthetic browser (ICE as the controlling agent, DTLS-SRTP, a 20 ms PCMU
 * stream, and in the video profile a VP8-sized stream) and a synthetic phone (plain RTP), both on
 * loopback sockets, connected through the media backend under test exactly as the bridge connects a
 * browser's offer to a SIP answer. The browser offers its video BUNDLEd with the audio but on its
 * own port (Chromium's {@code balanced} policy): the embedded relay answers it bundled on the
 * audio's transport, rtpengine (which does not bundle) on a transport of its own, with its own ICE
 * and DTLS, as a browser then uses.
 */
final class SyntheticCall {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SETUP_SECONDS = 15;
  private static final int RECEIVE_BUFFER = 1 << 20;

  /** The video's payload type on both sides (the phone answers with the offer's number). */
  static final int VP8 = 96;

  final int index;
  final CallId id;
  final boolean video;
  final DatagramChannel browser;
  final DatagramChannel phone;

  /** The browser's video transport when it is not bundled, and the phone's video socket. */
  final DatagramChannel browserVideo;

  final DatagramChannel phoneVideo;
  final String ufrag = WebRtcEndpoint.randomIceUfrag();
  final String pwd = WebRtcEndpoint.randomIcePwd();
  InetSocketAddress relayWebRtc;
  InetSocketAddress relayPlain;
  String relayUfrag;
  String relayPwd;
  SrtpContext browserSends;
  SrtpContext browserReceives;
  int browserSeq;
  int phoneSeq;
  long nextConsentNanos;

  /** Where the video goes: the audio's transport and keys when the answer bundled it. */
  boolean videoBundled;

  InetSocketAddress relayWebRtcVideo;
  InetSocketAddress relayPlainVideo;
  String relayVideoUfrag;
  String relayVideoPwd;
  SrtpContext videoSends;
  SrtpContext videoReceives;
  int browserVideoSeq;
  int phoneVideoSeq;

  SyntheticCall(int index, String run, boolean video) throws IOException {
    this.index = index;
    this.id = new CallId(run + "-" + index);
    this.video = video;
    browser = open();
    phone = open();
    browserVideo = video ? open() : null;
    phoneVideo = video ? open() : null;
  }

  /**
   * A loopback socket with a receive buffer of {@value #RECEIVE_BUFFER} bytes: the generator's one
   * receiving thread shares the cores with the relay under test, and a default buffer (about 90
   * datagrams of 1,200 bytes) would overflow in its pauses and count as the relay's loss.
   */
  private static DatagramChannel open() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
    return channel.bind(new InetSocketAddress(LOOPBACK, 0));
  }

  int browserVideoSsrc() {
    return 0x30000000 + index;
  }

  int phoneVideoSsrc() {
    return 0x40000000 + index;
  }

  /** The channel the browser's video leaves from, and the address it goes to. */
  DatagramChannel browserVideoChannel() {
    return videoBundled ? browser : browserVideo;
  }

  int browserSsrc() {
    return 0x10000000 + index;
  }

  int phoneSsrc() {
    return 0x20000000 + index;
  }

  /** Offer, answer, ICE and DTLS through {@code backend}; blocks until media can flow. */
  void connect(MediaBackend backend, DtlsCertificate certificate) throws Exception {
    int browserPort = ((InetSocketAddress) browser.getLocalAddress()).getPort();
    String offer = browserOffer(browserPort, certificate.fingerprint());
    if (video) {
      offer += browserVideoOffer(port(browserVideo), certificate.fingerprint());
    }
    SessionDescription plainOffer =
        SessionDescription.parse(
            backend
                .offer(id, Side.BROWSER, offer)
                .toCompletableFuture()
                .get(SETUP_SECONDS, TimeUnit.SECONDS));
    MediaDescription plainAudio = plainOffer.media().get(0);
    relayPlain =
        new InetSocketAddress(
            plainOffer.connection(plainAudio).orElseThrow().connectionAddress(),
            plainAudio.media().port());
    int phonePort = ((InetSocketAddress) phone.getLocalAddress()).getPort();
    String phoneAnswer = phoneAnswer(phonePort);
    if (video) {
      MediaDescription plainVideo =
          plainOffer.media().stream()
              .filter(m -> m.media().media().equals("video") && !m.isRejected())
              .findFirst()
              .orElseThrow(() -> new IOException("no video in the offer to SIP: " + plainOffer));
      relayPlainVideo =
          new InetSocketAddress(
              plainOffer.connection(plainVideo).orElseThrow().connectionAddress(),
              plainVideo.media().port());
      phoneAnswer += phoneVideoAnswer(port(phoneVideo));
    }
    SessionDescription answer =
        SessionDescription.parse(
            backend
                .answer(id, Side.SIP, phoneAnswer)
                .toCompletableFuture()
                .get(SETUP_SECONDS, TimeUnit.SECONDS));
    MediaDescription audio = answer.media().get(0);
    relayUfrag = answer.mediaOrSession(audio, "ice-ufrag").orElseThrow();
    relayPwd = answer.mediaOrSession(audio, "ice-pwd").orElseThrow();
    Candidate candidate =
        audio.candidates().stream()
            .filter(c -> c.transport().equalsIgnoreCase("udp"))
            .findFirst()
            .orElseThrow(() -> new IOException("no UDP candidate in " + answer));
    relayWebRtc = new InetSocketAddress(candidate.address(), candidate.port());
    var fingerprint = audio.fingerprint().orElseThrow();
    Setup theirs = audio.setup().orElse(Setup.ACTIVE);
    browser.socket().setSoTimeout(200);
    iceCheck(browser, relayWebRtc, relayUfrag, relayPwd);
    DtlsSrtpKeys keys =
        DtlsSrtp.handshake(
            theirs == Setup.ACTIVE ? DtlsSrtp.Role.SERVER : DtlsSrtp.Role.CLIENT,
            certificate,
            fingerprint.hashFunction() + " " + fingerprint.fingerprint(),
            new SetupTransport(browser, relayWebRtc));
    browserSends = keys.sender();
    browserReceives = keys.receiver();
    if (video) {
      connectVideo(answer, certificate);
      browserVideo.configureBlocking(false);
      phoneVideo.configureBlocking(false);
    }
    browser.configureBlocking(false);
    phone.configureBlocking(false);
  }

  /**
   * The answer's video: on the audio's transport when it bundles both at the audio's port, else ICE
   * and DTLS of its own on the browser's video socket.
   */
  private void connectVideo(SessionDescription answer, DtlsCertificate certificate)
      throws Exception {
    MediaDescription audio = answer.media().get(0);
    MediaDescription videoAnswer =
        answer.media().stream()
            .filter(m -> m.media().media().equals("video") && !m.isRejected())
            .findFirst()
            .orElseThrow(() -> new IOException("video refused in " + answer));
    videoBundled =
        answer.bundle().isPresent() && videoAnswer.media().port() == audio.media().port();
    if (videoBundled) {
      relayWebRtcVideo = relayWebRtc;
      videoSends = browserSends;
      videoReceives = browserReceives;
      return;
    }
    relayVideoUfrag = answer.mediaOrSession(videoAnswer, "ice-ufrag").orElseThrow();
    relayVideoPwd = answer.mediaOrSession(videoAnswer, "ice-pwd").orElseThrow();
    Candidate candidate =
        videoAnswer.candidates().stream()
            .filter(c -> c.transport().equalsIgnoreCase("udp"))
            .findFirst()
            .orElseThrow(() -> new IOException("no UDP video candidate in " + answer));
    relayWebRtcVideo = new InetSocketAddress(candidate.address(), candidate.port());
    var fingerprint =
        answer
            .mediaOrSession(videoAnswer, dev.tandem.sdp.Fingerprint.NAME)
            .map(dev.tandem.sdp.Fingerprint::parse)
            .orElseThrow();
    Setup theirs = videoAnswer.setup().orElse(Setup.ACTIVE);
    browserVideo.socket().setSoTimeout(200);
    iceCheck(browserVideo, relayWebRtcVideo, relayVideoUfrag, relayVideoPwd);
    DtlsSrtpKeys keys =
        DtlsSrtp.handshake(
            theirs == Setup.ACTIVE ? DtlsSrtp.Role.SERVER : DtlsSrtp.Role.CLIENT,
            certificate,
            fingerprint.hashFunction() + " " + fingerprint.fingerprint(),
            new SetupTransport(browserVideo, relayWebRtcVideo));
    videoSends = keys.sender();
    videoReceives = keys.receiver();
  }

  private static int port(DatagramChannel channel) throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /** A nominating Binding request to the relay's candidate (also the RFC 7675 consent check). */
  byte[] bindingRequest() {
    return bindingRequest(relayUfrag, relayPwd);
  }

  /** The same toward the video's own transport. */
  byte[] videoBindingRequest() {
    return bindingRequest(relayVideoUfrag, relayVideoPwd);
  }

  private byte[] bindingRequest(String relayUfrag, String relayPwd) {
    byte[] transaction = new byte[12];
    RANDOM.nextBytes(transaction);
    byte[] tieBreaker = new byte[8];
    RANDOM.nextBytes(tieBreaker);
    return new StunWriter(Stun.BINDING_REQUEST, transaction)
        .attribute(Stun.USERNAME, (relayUfrag + ":" + ufrag).getBytes(StandardCharsets.UTF_8))
        .attribute(Stun.PRIORITY, new byte[] {0x6e, 0x7f, 0x1e, (byte) 0xff})
        .attribute(Stun.ICE_CONTROLLING, tieBreaker)
        .attribute(Stun.USE_CANDIDATE, new byte[0])
        .messageIntegrity(relayPwd.getBytes(StandardCharsets.UTF_8))
        .fingerprintAndBuild();
  }

  /**
   * Answers a connectivity check of a full-ICE relay (rtpengine checks the browser's candidate);
   * null for anything that is not a Binding request.
   */
  byte[] answerCheck(byte[] buf, int length, InetSocketAddress from) {
    try {
      StunMessage message = StunMessage.parse(buf, 0, length);
      if (message.type() != Stun.BINDING_REQUEST) {
        return null;
      }
      return new StunWriter(Stun.BINDING_SUCCESS, message.transactionId())
          .xorMappedAddress(from)
          .messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8))
          .fingerprintAndBuild();
    } catch (StunException e) {
      return null;
    }
  }

  private void iceCheck(
      DatagramChannel browser, InetSocketAddress relayWebRtc, String relayUfrag, String relayPwd)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETUP_SECONDS);
    byte[] buf = new byte[1500];
    while (System.nanoTime() < deadline) {
      byte[] request = bindingRequest(relayUfrag, relayPwd);
      browser.send(ByteBuffer.wrap(request), relayWebRtc);
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      while (System.nanoTime() < until) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          browser.socket().receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        if ((buf[0] & 0xFF) > 3) {
          continue;
        }
        byte[] reply = answerCheck(buf, p.getLength(), (InetSocketAddress) p.getSocketAddress());
        if (reply != null) {
          browser.send(ByteBuffer.wrap(reply), p.getSocketAddress());
          continue;
        }
        try {
          if (StunMessage.parse(buf, 0, p.getLength()).type() == Stun.BINDING_SUCCESS) {
            return;
          }
        } catch (StunException ignored) {
          // not for us
        }
      }
    }
    throw new IOException("no ICE answer from " + relayWebRtc);
  }

  /**
   * The browser socket during setup: DTLS records go to the handshake, connectivity checks are
   * answered on the way.
   */
  private final class SetupTransport implements DatagramTransport {
    private final DatagramChannel browser;
    private final InetSocketAddress relayWebRtc;

    SetupTransport(DatagramChannel browser, InetSocketAddress relayWebRtc) {
      this.browser = browser;
      this.relayWebRtc = relayWebRtc;
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
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      byte[] in = new byte[1500];
      while (System.nanoTime() < until) {
        DatagramPacket p = new DatagramPacket(in, in.length);
        browser
            .socket()
            .setSoTimeout(
                (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
        try {
          browser.socket().receive(p);
        } catch (SocketTimeoutException e) {
          return -1;
        }
        int first = in[0] & 0xFF;
        if (first <= 3) {
          byte[] reply = answerCheck(in, p.getLength(), (InetSocketAddress) p.getSocketAddress());
          if (reply != null) {
            browser.send(ByteBuffer.wrap(reply), p.getSocketAddress());
          }
        } else if (first >= 20 && first <= 63) {
          int n = Math.min(len, p.getLength());
          System.arraycopy(in, 0, buf, off, n);
          return n;
        }
      }
      return -1;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      browser.send(ByteBuffer.wrap(buf, off, len), relayWebRtc);
    }

    @Override
    public void close() {}
  }

  /** What Chromium offers for audio only (shared/testdata), with this call's ICE and DTLS. */
  private String browserOffer(int port, String fingerprint) {
    return "v=0\r\n"
        + "o=- "
        + (4_000_000_000L + index)
        + " 2 IN IP4 127.0.0.1\r\n"
        + "s=-\r\nt=0 0\r\n"
        + (video ? "a=group:BUNDLE 0 1\r\n" : "a=group:BUNDLE 0\r\n")
        + "a=msid-semantic: WMS bench\r\n"
        + "m=audio "
        + port
        + " UDP/TLS/RTP/SAVPF 111 0 8 126\r\n"
        + "c=IN IP4 127.0.0.1\r\n"
        + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
        + "a=candidate:1 1 udp 2122260223 127.0.0.1 "
        + port
        + " typ host generation 0\r\n"
        + "a=ice-ufrag:"
        + ufrag
        + "\r\n"
        + "a=ice-pwd:"
        + pwd
        + "\r\n"
        + "a=ice-options:trickle\r\n"
        + "a=fingerprint:"
        + fingerprint
        + "\r\n"
        + "a=setup:actpass\r\n"
        + "a=mid:0\r\n"
        + "a=sendrecv\r\n"
        + "a=msid:bench track"
        + index
        + "\r\n"
        + "a=rtcp-mux\r\n"
        + "a=rtpmap:111 opus/48000/2\r\n"
        + "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
        + "a=rtpmap:0 PCMU/8000\r\n"
        + "a=rtpmap:8 PCMA/8000\r\n"
        + "a=rtpmap:126 telephone-event/8000\r\n"
        + "a=ssrc:"
        + Integer.toUnsignedString(browserSsrc())
        + " cname:bench"
        + index
        + "\r\n"
        + "a=end-of-candidates\r\n";
  }

  /** The browser's VP8 video m-line, on its own port (bundled by the group above). */
  private String browserVideoOffer(int port, String fingerprint) {
    return "m=video "
        + port
        + " UDP/TLS/RTP/SAVPF "
        + VP8
        + "\r\n"
        + "c=IN IP4 127.0.0.1\r\n"
        + "a=rtcp:9 IN IP4 0.0.0.0\r\n"
        + "a=candidate:2 1 udp 2122260223 127.0.0.1 "
        + port
        + " typ host generation 0\r\n"
        + "a=ice-ufrag:"
        + ufrag
        + "\r\n"
        + "a=ice-pwd:"
        + pwd
        + "\r\n"
        + "a=ice-options:trickle\r\n"
        + "a=fingerprint:"
        + fingerprint
        + "\r\n"
        + "a=setup:actpass\r\n"
        + "a=mid:1\r\n"
        + "a=sendrecv\r\n"
        + "a=msid:bench video"
        + index
        + "\r\n"
        + "a=rtcp-mux\r\n"
        + "a=rtcp-rsize\r\n"
        + "a=rtpmap:"
        + VP8
        + " VP8/90000\r\n"
        + "a=rtcp-fb:"
        + VP8
        + " ccm fir\r\n"
        + "a=rtcp-fb:"
        + VP8
        + " nack\r\n"
        + "a=rtcp-fb:"
        + VP8
        + " nack pli\r\n"
        + "a=ssrc:"
        + Integer.toUnsignedString(browserVideoSsrc())
        + " cname:bench"
        + index
        + "\r\n"
        + "a=end-of-candidates\r\n";
  }

  /** A SIP video phone's answer: VP8 on its own port, PLI as RTCP feedback (baresip's). */
  private static String phoneVideoAnswer(int port) {
    return "m=video "
        + port
        + " RTP/AVP "
        + VP8
        + "\r\n"
        + "a=rtpmap:"
        + VP8
        + " VP8/90000\r\n"
        + "a=rtcp-fb:* nack pli\r\n"
        + "a=sendrecv\r\n";
  }

  /** A SIP phone's answer: PCMU and telephone-event on its own port. */
  private String phoneAnswer(int port) {
    return "v=0\r\n"
        + "o=phone "
        + index
        + " 1 IN IP4 127.0.0.1\r\n"
        + "s=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
        + "m=audio "
        + port
        + " RTP/AVP 0 101\r\n"
        + "a=rtpmap:0 PCMU/8000\r\n"
        + "a=rtpmap:101 telephone-event/8000\r\n"
        + "a=sendrecv\r\n";
  }

  void close() {
    try {
      browser.close();
      phone.close();
      if (video) {
        browserVideo.close();
        phoneVideo.close();
      }
    } catch (IOException ignored) {
      // closing loopback sockets
    }
  }
}

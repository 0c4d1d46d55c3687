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
 * stream) and a synthetic phone (plain RTP), both on loopback sockets, connected through the media
 * backend under test exactly as the bridge connects a browser's offer to a SIP answer.
 */
final class SyntheticCall {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SETUP_SECONDS = 15;

  final int index;
  final CallId id;
  final DatagramChannel browser;
  final DatagramChannel phone;
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

  SyntheticCall(int index, String run) throws IOException {
    this.index = index;
    this.id = new CallId(run + "-" + index);
    browser = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
    phone = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
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
    SessionDescription answer =
        SessionDescription.parse(
            backend
                .answer(id, Side.SIP, phoneAnswer(phonePort))
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
    iceCheck();
    DtlsSrtpKeys keys =
        DtlsSrtp.handshake(
            theirs == Setup.ACTIVE ? DtlsSrtp.Role.SERVER : DtlsSrtp.Role.CLIENT,
            certificate,
            fingerprint.hashFunction() + " " + fingerprint.fingerprint(),
            new SetupTransport());
    browserSends = keys.sender();
    browserReceives = keys.receiver();
    browser.configureBlocking(false);
    phone.configureBlocking(false);
  }

  /** A nominating Binding request to the relay's candidate (also the RFC 7675 consent check). */
  byte[] bindingRequest() {
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

  private void iceCheck() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETUP_SECONDS);
    byte[] buf = new byte[1500];
    while (System.nanoTime() < deadline) {
      byte[] request = bindingRequest();
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
        + "a=group:BUNDLE 0\r\n"
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
    } catch (IOException ignored) {
      // closing loopback sockets
    }
  }
}

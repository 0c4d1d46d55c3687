package dev.tandem.media.relay;

import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.ice.IceLiteAgent;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.sdp.translate.PayloadTypeMap;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's media through the embedded relay: a WebRTC socket toward the browser (ICE-lite,
 * DTLS-SRTP, BUNDLE and rtcp-mux on one port) and an RTP/RTCP socket pair toward the SIP side.
 * Packets are sorted by their first byte (RFC 7983): STUN to the ICE agent, DTLS to the handshake,
 * SRTP/SRTCP decrypted and sent on as plain RTP/RTCP with payload types renumbered; plain RTP from
 * the SIP side (latched to its first source, RFC 4961 symmetric RTP, then strict) encrypted toward
 * the browser's ICE-verified address. Anything else is dropped and counted.
 *
 * <p>Threads: one reader per socket; the DTLS handshake runs on the given executor. Closing stops
 * all of them and frees the sockets (the caller returns the ports).
 */
final class RelayCall implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayCall.class);
  private static final int MTU = 1500;

  final String id;
  final int webRtcPort;
  final int plainPort;
  final String iceUfrag;
  final String icePwd;
  private final DatagramSocket webrtc;
  private final DatagramSocket plainRtp;
  private final DatagramSocket plainRtcp;
  private final IceLiteAgent ice;
  private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(64);
  private final AtomicLong fromBrowser = new AtomicLong();
  private final AtomicLong fromSip = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;
  private final java.util.List<Thread> readers = new java.util.ArrayList<>(3);
  private volatile PayloadTypeMap payloadTypes = new PayloadTypeMap(java.util.Map.of());
  private volatile InetSocketAddress sipRtp;
  private volatile InetSocketAddress sipRtcp;
  private volatile boolean latched;
  private volatile SrtpContext fromBrowserSrtp;
  private volatile SrtpContext toBrowserRtp;
  private volatile SrtpContext toBrowserRtcp;

  RelayCall(String id, InetAddress bind, int webRtcPort, int plainPort, String ufrag, String pwd)
      throws SocketException {
    this.id = id;
    this.webRtcPort = webRtcPort;
    this.plainPort = plainPort;
    this.iceUfrag = ufrag;
    this.icePwd = pwd;
    this.ice = new IceLiteAgent(ufrag, pwd, Instant::now);
    DatagramSocket a = null;
    DatagramSocket b = null;
    try {
      a = new DatagramSocket(new InetSocketAddress(bind, webRtcPort));
      b = new DatagramSocket(new InetSocketAddress(bind, plainPort));
      this.plainRtcp = new DatagramSocket(new InetSocketAddress(bind, plainPort + 1));
    } catch (SocketException e) {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      throw e;
    }
    this.webrtc = a;
    this.plainRtp = b;
    reader("webrtc", webrtc, this::fromBrowser);
    reader("rtp", plainRtp, this::fromSipRtp);
    reader("rtcp", plainRtcp, this::fromSipRtcp);
  }

  /** The browser's ICE username fragment, once known from its SDP. */
  void browserIce(String ufrag) {
    ice.remoteCredentials(ufrag);
  }

  /** Where the SIP side receives RTP and RTCP (its SDP); latching may move RTP later. */
  void sipAddress(InetSocketAddress rtp, InetSocketAddress rtcp) {
    if (!latched) {
      sipRtp = rtp;
    }
    sipRtcp = rtcp;
  }

  void payloadTypes(PayloadTypeMap map) {
    payloadTypes = map;
  }

  /** Starts the DTLS handshake in {@code role}; keys take effect when it completes. */
  void startDtls(
      ExecutorService handshakes,
      DtlsSrtp.Role role,
      DtlsCertificate certificate,
      String fingerprint) {
    handshakes.execute(
        () -> {
          try {
            DtlsSrtpKeys keys = DtlsSrtp.handshake(role, certificate, fingerprint, new Transport());
            fromBrowserSrtp = keys.receiver();
            toBrowserRtcp = keys.sender();
            toBrowserRtp = keys.sender();
            log.info("call {}: DTLS-SRTP established as {} ({})", id, role, keys.profile());
          } catch (IOException e) {
            if (!closed) {
              log.warn("call {}: DTLS handshake failed: {}", id, e.getMessage());
            }
          }
        });
  }

  long packetsFromBrowser() {
    return fromBrowser.get();
  }

  long packetsFromSip() {
    return fromSip.get();
  }

  long dropped() {
    return dropped.get();
  }

  private interface Handler {
    void handle(byte[] buf, int length, InetSocketAddress from) throws IOException;
  }

  private void reader(String name, DatagramSocket socket, Handler handler) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[MTU + 64];
              DatagramPacket packet = new DatagramPacket(buf, buf.length);
              while (!closed) {
                try {
                  packet.setLength(MTU);
                  socket.receive(packet);
                  handler.handle(
                      buf, packet.getLength(), (InetSocketAddress) packet.getSocketAddress());
                } catch (IOException e) {
                  if (!closed) {
                    dropped.incrementAndGet();
                  }
                } catch (RuntimeException e) {
                  dropped.incrementAndGet(); // garbage must never stop the reader
                }
              }
            },
            "relay-" + name + "-" + webRtcPort);
    t.setDaemon(true);
    readers.add(t);
    t.start();
  }

  private void fromBrowser(byte[] buf, int length, InetSocketAddress from) throws IOException {
    int first = buf[0] & 0xFF;
    if (first <= 3) { // RFC 7983: STUN
      IceLiteAgent.Outcome outcome = ice.onStun(buf, 0, length, from);
      if (outcome instanceof IceLiteAgent.Outcome.Respond r) {
        webrtc.send(new DatagramPacket(r.response(), r.response().length, r.to()));
      } else if (outcome instanceof IceLiteAgent.Outcome.Refuse r) {
        webrtc.send(new DatagramPacket(r.response(), r.response().length, r.to()));
      } else {
        dropped.incrementAndGet();
      }
      return;
    }
    if (first >= 20 && first <= 63) { // DTLS
      if (!ice.isVerified(from) || !dtlsIn.offer(Arrays.copyOf(buf, length))) {
        dropped.incrementAndGet();
      }
      return;
    }
    SrtpContext in = fromBrowserSrtp;
    if (first < 128 || first > 191 || in == null || !ice.isVerified(from)) {
      dropped.incrementAndGet();
      return;
    }
    int pt = buf[1] & 0x7F;
    boolean rtcp = (buf[1] & 0xFF) >= 192 && (buf[1] & 0xFF) <= 223;
    if (rtcp) {
      int n = in.unprotectRtcp(buf, 0, length);
      InetSocketAddress to = sipRtcp;
      if (n < 0 || to == null) {
        dropped.incrementAndGet();
        return;
      }
      plainRtcp.send(new DatagramPacket(buf, n, to));
      return;
    }
    int n = in.unprotect(buf, 0, length);
    int sipPt = payloadTypes.toSip(pt);
    InetSocketAddress to = sipRtp;
    if (n < 0 || sipPt < 0 || to == null) {
      dropped.incrementAndGet();
      return;
    }
    buf[1] = (byte) ((buf[1] & 0x80) | sipPt);
    fromBrowser.incrementAndGet();
    plainRtp.send(new DatagramPacket(buf, n, to));
  }

  private void fromSipRtp(byte[] buf, int length, InetSocketAddress from) throws IOException {
    if (length < 12 || (buf[0] & 0xC0) != 0x80) {
      dropped.incrementAndGet();
      return;
    }
    if (!latched) {
      sipRtp = from; // symmetric RTP: answer where the phone sends from
      latched = true;
    } else if (!from.equals(sipRtp)) {
      dropped.incrementAndGet(); // strict source after latching: no RTP bleed
      return;
    }
    fromSip.incrementAndGet();
    SrtpContext out = toBrowserRtp;
    Optional<InetSocketAddress> to = browser();
    int browserPt = payloadTypes.toBrowser(buf[1] & 0x7F);
    if (out == null || to.isEmpty() || browserPt < 0) {
      dropped.incrementAndGet();
      return;
    }
    buf[1] = (byte) ((buf[1] & 0x80) | browserPt);
    int n = out.protect(buf, 0, length);
    if (n > 0) {
      webrtc.send(new DatagramPacket(buf, n, to.get()));
    }
  }

  private void fromSipRtcp(byte[] buf, int length, InetSocketAddress from) throws IOException {
    SrtpContext out = toBrowserRtcp;
    Optional<InetSocketAddress> to = browser();
    if (out == null || to.isEmpty()) {
      dropped.incrementAndGet();
      return;
    }
    int n = out.protectRtcp(buf, 0, length);
    if (n > 0) {
      webrtc.send(new DatagramPacket(buf, n, to.get()));
    } else {
      dropped.incrementAndGet();
    }
  }

  /**
   * Where media toward the browser goes: its ICE-verified address, while it still consents (RFC
   * 7675 §5.1: no media to a browser that has stopped sending consent checks).
   */
  private Optional<InetSocketAddress> browser() {
    return ice.consentExpired() ? Optional.empty() : ice.mediaAddress();
  }

  /** DTLS records travel on the WebRTC socket, to the ICE-verified address only. */
  private final class Transport implements DatagramTransport {
    @Override
    public int getReceiveLimit() {
      return MTU;
    }

    @Override
    public int getSendLimit() {
      return MTU - 28;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
      if (closed) {
        throw new IOException("relay endpoint closed");
      }
      try {
        byte[] record = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (record == null) {
          return -1;
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
      Optional<InetSocketAddress> to = ice.mediaAddress();
      if (to.isPresent()) {
        webrtc.send(new DatagramPacket(buf, off, len, to.get()));
      }
      // before ICE has verified an address nothing may be sent; DTLS retransmits
    }

    @Override
    public void close() {}
  }

  /**
   * Closes the sockets and waits for their readers to leave: the JDK frees a socket's port only
   * when the last thread blocked on it has returned, and the port goes back to the pool next.
   */
  @Override
  public void close() {
    closed = true;
    webrtc.close();
    plainRtp.close();
    plainRtcp.close();
    for (Thread reader : readers) {
      try {
        reader.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

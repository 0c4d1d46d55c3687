package dev.tandem.media.relay;

import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.ice.IceLiteAgent;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.sdp.translate.PayloadTypeMap;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
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
 * <p>Threads: the three sockets are read by one {@link RelayLoop}, so all forwarding state is
 * touched by that thread only; the DTLS handshake runs on the given executor. Closing stops both
 * and frees the sockets (the caller returns the ports).
 */
final class RelayCall implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayCall.class);
  private static final long LOOP_WAIT_SECONDS = 2;
  private static final int MAX_HELD_DTLS = 16;

  final String id;
  final int webRtcPort;
  final int plainPort;
  final String iceUfrag;
  final String icePwd;
  private final RelayLoop loop;
  private final DatagramChannel webrtc;
  private final DatagramChannel plainRtp;
  private final DatagramChannel plainRtcp;
  private final IceLiteAgent ice;
  private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(64);

  /** DTLS records written before ICE verified the browser's address: sent the moment it does. */
  private final java.util.List<byte[]> dtlsOutHeld = new java.util.ArrayList<>();

  private final AtomicLong fromBrowser = new AtomicLong();
  private final AtomicLong fromBrowserBytes = new AtomicLong();
  private final AtomicLong fromSip = new AtomicLong();
  private final AtomicLong fromSipBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;
  private volatile String failure;
  private volatile PayloadTypeMap payloadTypes = new PayloadTypeMap(Map.of());
  private volatile InetSocketAddress sipRtp;
  private volatile InetSocketAddress sipRtcp;
  private volatile boolean latched;
  private volatile boolean sipRtcpMuxed;
  private volatile InetSocketAddress sdpRtp;
  private volatile InetSocketAddress sipRtcpSource;
  private volatile DtlsSrtp.Role dtlsRole;
  private volatile SrtpContext fromBrowserSrtp;
  private volatile SrtpContext toBrowserSrtp;
  private volatile ReceptionReport browserReceives;
  private volatile ReceptionReport sipReceives;

  /**
   * Binds the three sockets and starts reading them on {@code loop}.
   *
   * @param clock the time ICE consent is measured with
   */
  RelayCall(
      String id,
      RelayLoop loop,
      InetAddress bind,
      int webRtcPort,
      int plainPort,
      String ufrag,
      String pwd,
      Supplier<Instant> clock)
      throws IOException {
    this.id = id;
    this.loop = loop;
    this.webRtcPort = webRtcPort;
    this.plainPort = plainPort;
    this.iceUfrag = ufrag;
    this.icePwd = pwd;
    this.ice = new IceLiteAgent(ufrag, pwd, clock);
    DatagramChannel[] channels = new DatagramChannel[3];
    int[] ports = {webRtcPort, plainPort, plainPort + 1};
    try {
      for (int i = 0; i < 3; i++) {
        channels[i] = DatagramChannel.open();
        channels[i].bind(new InetSocketAddress(bind, ports[i]));
      }
    } catch (IOException e) {
      for (DatagramChannel c : channels) {
        if (c != null) {
          c.close();
        }
      }
      throw e;
    }
    this.webrtc = channels[0];
    this.plainRtp = channels[1];
    this.plainRtcp = channels[2];
    try {
      await(
          CompletableFuture.allOf(
              loop.register(webrtc, receiver(this::fromBrowser)),
              loop.register(plainRtp, receiver(this::fromSipRtp)),
              loop.register(plainRtcp, receiver(this::fromSipRtcp))));
    } catch (IOException e) {
      for (DatagramChannel c : channels) {
        c.close();
      }
      throw e;
    }
  }

  /** The browser's ICE username fragment, once known from its SDP. */
  void browserIce(String ufrag) {
    ice.remoteCredentials(ufrag);
  }

  /**
   * Where the SIP side receives RTP and RTCP (its SDP); latching may move RTP later. A new address
   * in a later SDP (a re-INVITE moving the media) latches anew. With {@code rtcpMuxed} RTCP shares
   * the RTP port both ways (RFC 5761).
   */
  void sipAddress(InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMuxed) {
    sipRtcpMuxed = rtcpMuxed;
    if (!rtp.equals(sdpRtp)) {
      sdpRtp = rtp;
      sipRtp = rtp;
      latched = false;
      sipRtcpSource = null;
    }
    sipRtcp = rtcp;
  }

  /** The DTLS role this endpoint took, once its handshake started; it keeps it for the call. */
  Optional<DtlsSrtp.Role> dtlsRole() {
    return Optional.ofNullable(dtlsRole);
  }

  void payloadTypes(PayloadTypeMap map) {
    payloadTypes = map;
  }

  /**
   * Starts the DTLS handshake in {@code role}, once per call: re-offers keep the association (RFC
   * 8842 §5.5); keys take effect when it completes. A handshake that fails (timeout, wrong
   * certificate, no common profile) leaves the call's {@link #failure}.
   */
  synchronized void startDtls(
      ExecutorService handshakes,
      DtlsSrtp.Role role,
      DtlsCertificate certificate,
      String fingerprint) {
    if (dtlsRole != null) {
      return;
    }
    dtlsRole = role;
    handshakes.execute(
        () -> {
          try {
            DtlsSrtpKeys keys = DtlsSrtp.handshake(role, certificate, fingerprint, new Transport());
            fromBrowserSrtp = keys.receiver();
            toBrowserSrtp = keys.sender();
            log.info("call {}: DTLS-SRTP established as {} ({})", id, role, keys.profile());
          } catch (IOException e) {
            if (!closed) {
              failure = "DTLS handshake with the browser failed: " + e.getMessage();
              log.warn("call {}: {}", id, failure);
            }
          }
        });
  }

  /**
   * Why this call's media cannot work any more, if it cannot: the DTLS handshake failed, or the
   * browser, once connected, stopped sending ICE consent checks (RFC 7675: it is gone).
   */
  Optional<String> failure() {
    if (failure != null) {
      return Optional.of(failure);
    }
    if (ice.mediaAddress().isPresent() && ice.consentExpired()) {
      return Optional.of(
          "no ICE consent from the browser for " + IceLiteAgent.CONSENT_TIMEOUT.toSeconds() + " s");
    }
    return Optional.empty();
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

  RelayStats stats() {
    return new RelayStats(
        fromBrowser.get(),
        fromBrowserBytes.get(),
        fromSip.get(),
        fromSipBytes.get(),
        dropped.get(),
        Optional.ofNullable(browserReceives),
        Optional.ofNullable(sipReceives));
  }

  private interface Handler {
    void handle(byte[] buf, int length, InetSocketAddress from) throws IOException;
  }

  private RelayLoop.Receiver receiver(Handler handler) {
    return new RelayLoop.Receiver() {
      @Override
      public void receive(byte[] buf, int length, InetSocketAddress from) throws IOException {
        handler.handle(buf, length, from);
      }

      @Override
      public void failed(Exception e) {
        if (!closed) {
          dropped.incrementAndGet();
        }
      }
    };
  }

  private void fromBrowser(byte[] buf, int length, InetSocketAddress from) throws IOException {
    int first = buf[0] & 0xFF;
    if (first <= 3) { // RFC 7983: STUN
      boolean wasVerified = ice.mediaAddress().isPresent();
      IceLiteAgent.Outcome outcome = ice.onStun(buf, 0, length, from);
      if (outcome instanceof IceLiteAgent.Outcome.Respond r) {
        webrtc.send(ByteBuffer.wrap(r.response()), r.to());
        if (!wasVerified) {
          releaseHeldDtls();
        }
      } else if (outcome instanceof IceLiteAgent.Outcome.Refuse r) {
        webrtc.send(ByteBuffer.wrap(r.response()), r.to()); // RFC 8489 error, and counted
        dropped.incrementAndGet();
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
    if (first < 128 || first > 191 || in == null || length < 8 || !ice.isVerified(from)) {
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
      ReceptionReport.first(buf, 0, n).ifPresent(r -> browserReceives = r);
      send(sipRtcpMuxed ? plainRtp : plainRtcp, n, to);
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
    fromBrowserBytes.addAndGet(n);
    send(plainRtp, n, to);
  }

  private void fromSipRtp(byte[] buf, int length, InetSocketAddress from) throws IOException {
    int type = buf[1] & 0xFF;
    if (length >= 8 && type >= 192 && type <= 223) {
      fromSipRtcp(buf, length, from); // RTCP multiplexed on the RTP port (RFC 5761 §4)
      return;
    }
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
    fromSipBytes.addAndGet(length);
    SrtpContext out = toBrowserSrtp;
    Optional<InetSocketAddress> to = browser();
    int browserPt = payloadTypes.toBrowser(buf[1] & 0x7F);
    if (out == null || to.isEmpty() || browserPt < 0) {
      dropped.incrementAndGet();
      return;
    }
    buf[1] = (byte) ((buf[1] & 0x80) | browserPt);
    int n = out.protect(buf, 0, length);
    if (n > 0) {
      send(webrtc, n, to.get());
    } else {
      dropped.incrementAndGet();
    }
  }

  private void fromSipRtcp(byte[] buf, int length, InetSocketAddress from) throws IOException {
    int type = buf[1] & 0xFF;
    if (length < 8 || (buf[0] & 0xC0) != 0x80 || type < 192 || type > 223) {
      dropped.incrementAndGet(); // not RTCP (RFC 3550 §6.4, RFC 5761 §4 for the type range)
      return;
    }
    if (sipRtcpSource == null) {
      sipRtcpSource = from; // latched like RTP, then strict
    } else if (!from.equals(sipRtcpSource)) {
      dropped.incrementAndGet();
      return;
    }
    SrtpContext out = toBrowserSrtp;
    Optional<InetSocketAddress> to = browser();
    if (out == null || to.isEmpty()) {
      dropped.incrementAndGet();
      return;
    }
    ReceptionReport.first(buf, 0, length).ifPresent(r -> sipReceives = r);
    int n = out.protectRtcp(buf, 0, length);
    if (n > 0) {
      send(webrtc, n, to.get());
    } else {
      dropped.incrementAndGet();
    }
  }

  /** Sends the DTLS flight held back until ICE verified the browser's address. */
  private void releaseHeldDtls() throws IOException {
    synchronized (dtlsOutHeld) {
      Optional<InetSocketAddress> to = ice.mediaAddress();
      if (to.isPresent()) {
        for (byte[] record : dtlsOutHeld) {
          webrtc.send(ByteBuffer.wrap(record), to.get());
        }
        dtlsOutHeld.clear();
      }
    }
  }

  /** Sends the datagram being handled (the loop's buffer); a full send buffer drops it. */
  private void send(DatagramChannel channel, int length, InetSocketAddress to) throws IOException {
    if (!loop.send(channel, length, to)) {
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
      return RelayLoop.MTU;
    }

    @Override
    public int getSendLimit() {
      return RelayLoop.MTU - 28;
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
      synchronized (dtlsOutHeld) {
        Optional<InetSocketAddress> to = ice.mediaAddress();
        if (to.isEmpty()) {
          // nothing may go out before ICE has verified an address; rather than wait for DTLS to
          // retransmit (a second or more), the flight leaves as soon as ICE has
          if (dtlsOutHeld.size() < MAX_HELD_DTLS) {
            dtlsOutHeld.add(Arrays.copyOfRange(buf, off, off + len));
          }
          return;
        }
        if (!closed) {
          webrtc.send(ByteBuffer.wrap(buf, off, len), to.get());
        }
      }
    }

    @Override
    public void close() {}
  }

  private static void await(CompletableFuture<Void> done) throws IOException {
    try {
      done.get(LOOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException("relay loop: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("relay loop did not answer in " + LOOP_WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Closes the sockets on the loop and waits until they are gone, so their ports can be handed out
   * again as soon as this returns.
   */
  @Override
  public void close() {
    closed = true;
    try {
      await(loop.close(webrtc, plainRtp, plainRtcp));
    } catch (IOException e) {
      log.warn("call {}: relay sockets not confirmed closed: {}", id, e.getMessage());
    }
  }
}

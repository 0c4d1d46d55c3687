package dev.tandem.media.relay;

import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsHandshakes;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.ice.IceLiteAgent;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.srtp.SrtpProfile;
import dev.tandem.sdp.SdesKey;
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
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * <p>Threads: the call is created, changed and closed on its {@link RelayLoop}'s thread, which also
 * reads its three sockets, so all its state is touched by that thread only. The one exception is
 * the DTLS handshake: it runs on a {@link DtlsHandshakes} thread, started only once ICE has
 * verified the browser's address (a browser that never sends a check costs no thread), and hands
 * its keys over through volatile fields. Closing (on the loop) drops a handshake still waiting for
 * a thread, makes a running one fail at its next read, and frees the sockets; the caller returns
 * the ports.
 */
final class RelayCall implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayCall.class);

  /** Put in {@link #dtlsIn} on close, so a handshake waiting for a record fails at once. */
  private static final byte[] CLOSED = new byte[0];

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
  private final RelayFailures failures;
  private volatile boolean consentLossCounted;
  private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(64);

  private final AtomicLong fromBrowser = new AtomicLong();
  private final AtomicLong fromBrowserBytes = new AtomicLong();
  private final AtomicLong fromSip = new AtomicLong();
  private final AtomicLong fromSipBytes = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sipAuthFailures = new AtomicLong();
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

  /** The handshake to start once ICE verifies the browser; loop thread only. */
  private Runnable dtlsArmed;

  private DtlsHandshakes dtlsThreads;
  private Future<?> dtlsRunning;
  private volatile SrtpContext fromBrowserSrtp;
  private volatile SrtpContext toBrowserSrtp;

  /** SDES-SRTP toward the SIP side (RFC 4568); null: plain RTP. */
  private volatile SrtpContext toSipSrtp;

  private volatile SrtpContext fromSipSrtp;

  /**
   * The SIP side's key before a rekey: still accepted until its new key authenticates a packet, so
   * packets in flight across a re-INVITE are not lost.
   */
  private volatile SrtpContext fromSipSrtpBefore;

  /** The keys the contexts above were made from; loop thread only. */
  private SdesKey toSipKey;

  private SdesKey fromSipKey;

  private volatile ReceptionReport browserReceives;
  private volatile ReceptionReport sipReceives;

  /**
   * Binds the three sockets and starts reading them on {@code loop}; on the loop's thread only.
   *
   * @param clock the time ICE consent is measured with
   * @throws java.net.BindException when a port is taken (nothing stays bound)
   */
  RelayCall(
      String id,
      RelayLoop loop,
      InetAddress bind,
      int webRtcPort,
      int plainPort,
      String ufrag,
      String pwd,
      Supplier<Instant> clock,
      RelayFailures failures)
      throws IOException {
    if (!loop.inLoop()) {
      throw new IllegalStateException("a relay call is opened on its loop's thread");
    }
    this.id = id;
    this.loop = loop;
    this.webRtcPort = webRtcPort;
    this.plainPort = plainPort;
    this.iceUfrag = ufrag;
    this.icePwd = pwd;
    this.ice = new IceLiteAgent(ufrag, pwd, clock);
    this.failures = failures;
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
      loop.register(webrtc, receiver(this::fromBrowser));
      loop.register(plainRtp, receiver(this::fromSipRtp));
      loop.register(plainRtcp, receiver(this::fromSipRtcp));
    } catch (IOException | RuntimeException e) {
      loop.close(channels);
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

  /**
   * The SDES keys of the SIP side (RFC 4568) from the latest offer/answer: {@code send} ours,
   * {@code receive} the SIP peer's; both empty: plain RTP. A key that did not change keeps its
   * context (its rollover counter and replay window); a new receive key keeps the one before it
   * acceptable until the new one authenticates a packet. Loop thread only.
   */
  void sdes(Optional<SdesKey> send, Optional<SdesKey> receive) {
    if (send.isEmpty() || receive.isEmpty()) {
      toSipSrtp = null;
      fromSipSrtp = null;
      fromSipSrtpBefore = null;
      toSipKey = null;
      fromSipKey = null;
      return;
    }
    if (toSipKey == null || !toSipKey.sameKey(send.get())) {
      toSipKey = send.get();
      toSipSrtp = SrtpProfile.context(toSipKey);
    }
    if (fromSipKey == null || !fromSipKey.sameKey(receive.get())) {
      boolean rekey = fromSipKey != null;
      fromSipKey = receive.get();
      fromSipSrtpBefore = rekey ? fromSipSrtp : null;
      fromSipSrtp = SrtpProfile.context(fromSipKey);
      log.info(
          "call {}: SDES-SRTP toward SIP, {}{}", id, fromSipKey.suite(), rekey ? " (rekeyed)" : "");
    }
  }

  /** Whether the SIP side runs SDES-SRTP now. */
  boolean sipSrtp() {
    return fromSipSrtp != null;
  }

  /**
   * Unprotects an SRTP ({@code rtcp} false) or SRTCP packet of the SIP side in place: the RTP/RTCP
   * length, or -1 (counted as an authentication failure) when neither the current key nor the one
   * before a rekey authenticates it.
   */
  private int fromSipUnprotect(SrtpContext in, byte[] buf, int length, boolean rtcp) {
    int n = rtcp ? in.unprotectRtcp(buf, 0, length) : in.unprotect(buf, 0, length);
    if (n >= 0) {
      fromSipSrtpBefore = null; // the new key works: the old one is done
      return n;
    }
    SrtpContext before = fromSipSrtpBefore;
    if (before != null) {
      n = rtcp ? before.unprotectRtcp(buf, 0, length) : before.unprotect(buf, 0, length);
    }
    if (n < 0) {
      sipAuthFailures.incrementAndGet();
    }
    return n;
  }

  /** The DTLS role this endpoint took, once its handshake started; it keeps it for the call. */
  Optional<DtlsSrtp.Role> dtlsRole() {
    return Optional.ofNullable(dtlsRole);
  }

  void payloadTypes(PayloadTypeMap map) {
    payloadTypes = map;
  }

  /**
   * Arms the DTLS handshake in {@code role}, once per call: re-offers keep the association (RFC
   * 8842 §5.5). It starts on a handshake thread once ICE has verified the browser's address (at
   * once if it already has): DTLS goes to ICE-verified addresses only, and a browser that never
   * connects must not hold a thread. Keys take effect when it completes. A handshake that fails
   * (timeout, wrong certificate, no common profile) or finds no thread and no queue place leaves
   * the call's {@link #failure}. Loop thread only.
   */
  void startDtls(
      DtlsHandshakes threads,
      DtlsSrtp.Role role,
      DtlsCertificate certificate,
      String fingerprint,
      int timeoutMillis) {
    if (dtlsRole != null || closed) {
      return;
    }
    dtlsRole = role;
    dtlsThreads = threads;
    dtlsArmed = () -> handshake(role, certificate, fingerprint, timeoutMillis);
    if (ice.mediaAddress().isPresent()) {
      launchDtls();
    }
  }

  private void launchDtls() {
    Runnable handshake = dtlsArmed;
    dtlsArmed = null;
    dtlsThreads
        .start(handshake)
        .ifPresentOrElse(
            running -> dtlsRunning = running,
            () -> {
              failure =
                  "DTLS handshake refused: all "
                      + dtlsThreads.threads()
                      + " handshake threads busy and "
                      + dtlsThreads.queue()
                      + " handshakes waiting";
              failures.dtlsRefused();
              log.warn("call {}: {}", id, failure);
            });
  }

  private void handshake(
      DtlsSrtp.Role role, DtlsCertificate certificate, String fingerprint, int timeoutMillis) {
    if (closed) {
      return;
    }
    try {
      DtlsSrtpKeys keys =
          DtlsSrtp.handshake(
              role,
              certificate,
              fingerprint,
              new Transport(),
              DtlsSrtp.PREFERRED_PROFILES,
              timeoutMillis);
      fromBrowserSrtp = keys.receiver();
      toBrowserSrtp = keys.sender();
      log.info("call {}: DTLS-SRTP established as {} ({})", id, role, keys.profile());
    } catch (IOException e) {
      if (!closed) {
        failure = "DTLS handshake with the browser failed: " + e.getMessage();
        failures.dtlsFailed();
        log.warn("call {}: {}", id, failure);
      }
    }
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
      if (!consentLossCounted) {
        consentLossCounted = true; // asked again by each watchdog poll: counted once
        failures.consentExpired();
      }
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
        sipAuthFailures.get(),
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
        if (!wasVerified && dtlsArmed != null) {
          launchDtls(); // the browser is there: now the handshake may have a thread
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
      SrtpContext toSip = toSipSrtp;
      if (toSip != null && (n = toSip.protectRtcp(buf, 0, n)) < 0) {
        dropped.incrementAndGet();
        return;
      }
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
    SrtpContext toSip = toSipSrtp;
    if (toSip != null && (n = toSip.protect(buf, 0, n)) < 0) {
      dropped.incrementAndGet();
      return;
    }
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
    if (latched && !from.equals(sipRtp)) {
      dropped.incrementAndGet(); // strict source after latching: no RTP bleed
      return;
    }
    SrtpContext in = fromSipSrtp;
    if (in != null && (length = fromSipUnprotect(in, buf, length, false)) < 0) {
      dropped.incrementAndGet(); // never forwarded, never logged per packet
      return;
    }
    if (!latched) {
      sipRtp = from; // symmetric RTP: answer where the phone sends from (authenticated, if SRTP)
      latched = true;
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
    if (sipRtcpSource != null && !from.equals(sipRtcpSource)) {
      dropped.incrementAndGet();
      return;
    }
    SrtpContext in = fromSipSrtp;
    if (in != null && (length = fromSipUnprotect(in, buf, length, true)) < 0) {
      dropped.incrementAndGet();
      return;
    }
    if (sipRtcpSource == null) {
      sipRtcpSource = from; // latched like RTP, then strict
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
        if (record == CLOSED) {
          throw new IOException("relay endpoint closed");
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
      if (closed) {
        throw new IOException("relay endpoint closed");
      }
      // the handshake starts once ICE has verified an address, and only goes there
      Optional<InetSocketAddress> to = ice.mediaAddress();
      if (to.isPresent()) {
        webrtc.send(ByteBuffer.wrap(buf, off, len), to.get());
      }
    }

    @Override
    public void close() {}
  }

  /**
   * Stops the handshake (one waiting for a thread never runs, a running one fails at its next read)
   * and closes the sockets; their ports can be bound again as soon as this returns. Loop thread
   * only.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    dtlsArmed = null;
    if (dtlsRunning != null) {
      dtlsThreads.cancel(dtlsRunning);
      dtlsIn.clear();
      dtlsIn.offer(CLOSED);
    }
    loop.close(webrtc, plainRtp, plainRtcp);
  }
}

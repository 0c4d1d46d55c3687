package dev.tandem.media.relay;

import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsHandshakes;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.dtls.DtlsSrtpKeys;
import dev.tandem.media.ice.IceLiteAgent;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.translate.PayloadTypeMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
 * DTLS-SRTP, BUNDLE and rtcp-mux on one port) and, toward the SIP side, an RTP/RTCP socket pair per
 * stream ({@link SipStream}: audio, and video once offered). Packets are sorted by their first byte
 * (RFC 7983): STUN to the ICE agent, DTLS to the handshake, SRTP/SRTCP decrypted and sent on as
 * plain RTP/RTCP with payload types renumbered; plain RTP from the SIP side (latched to its first
 * source, RFC 4961 symmetric RTP, then strict) encrypted toward the browser's ICE-verified address.
 * The browser's RTP belongs to the stream whose payload types it uses (unique across the bundle,
 * RFC 8843 §9.2; anything else is dropped and counted as an unknown stream), its RTCP to the stream
 * whose SSRCs it names. Its key-frame requests (PLI, FIR) reach a SIP side whose video has no
 * {@code a=rtcp-fb} for them as a call to the key-frame listener instead (core sends SIP INFO, RFC
 * 5168), and the relay makes a PLI toward the browser when core asks for one. Anything else is
 * dropped and counted.
 *
 * <p>Threads: the call is created, changed and closed on its {@link RelayLoop}'s thread, which also
 * reads its sockets, so all its state is touched by that thread only. The one exception is the DTLS
 * handshake: it runs on a {@link DtlsHandshakes} thread, started only once ICE has verified the
 * browser's address (a browser that never sends a check costs no thread), and hands its keys over
 * through volatile fields. Closing (on the loop) drops a handshake still waiting for a thread,
 * makes a running one fail at its next read, and frees the sockets; the caller returns the ports.
 */
final class RelayCall implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayCall.class);

  /** Put in {@link #dtlsIn} on close, so a handshake waiting for a record fails at once. */
  private static final byte[] CLOSED = new byte[0];

  final String id;
  final int webRtcPort;
  final String iceUfrag;
  final String icePwd;
  private final RelayLoop loop;
  private final RelaySockets sockets;
  private final DatagramChannel webrtc;

  /** The audio stream toward SIP, opened with the call. */
  final SipStream audio;

  /** The video stream toward SIP, once a video m-line was offered; null before. */
  private volatile SipStream video;

  private final IceLiteAgent ice;
  private final RelayFailures failures;
  private final Supplier<Instant> clock;
  private volatile boolean consentLossCounted;
  private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(64);

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong unknownStreamDrops = new AtomicLong();
  private volatile boolean closed;
  private volatile String failure;
  private volatile DtlsSrtp.Role dtlsRole;

  /** Tells core that the browser asked for a key frame the SIP side can only take as SIP INFO. */
  private final Runnable keyframeWanted;

  private final Duration keyframeInterval;

  /** When {@link #keyframeWanted} last ran; loop thread only. */
  private Instant lastKeyframeWanted;

  /** The SSRC of the relay's own RTCP (the PLIs it makes), RFC 3550 §8.1: random. */
  private final int ownSsrc = new java.security.SecureRandom().nextInt();

  /** The handshake to start once ICE verifies the browser; loop thread only. */
  private Runnable dtlsArmed;

  private DtlsHandshakes dtlsThreads;
  private Future<?> dtlsRunning;
  private volatile SrtpContext fromBrowserSrtp;
  private volatile SrtpContext toBrowserSrtp;

  /**
   * Binds the WebRTC socket and the audio pair and starts reading them on {@code loop}; on the
   * loop's thread only.
   *
   * @param clock the time ICE consent and key-frame requests are measured with
   * @param keyframeWanted told (on the loop thread, at most once per {@code keyframeInterval}) that
   *     the browser asked for a key frame the SIP side can only take as SIP INFO
   * @throws java.net.BindException when a port is taken (nothing stays bound)
   */
  RelayCall(
      String id,
      RelayLoop loop,
      RelaySockets sockets,
      int webRtcPort,
      int audioPort,
      String ufrag,
      String pwd,
      Supplier<Instant> clock,
      RelayFailures failures,
      Runnable keyframeWanted,
      Duration keyframeInterval)
      throws IOException {
    if (!loop.inLoop()) {
      throw new IllegalStateException("a relay call is opened on its loop's thread");
    }
    this.id = id;
    this.loop = loop;
    this.sockets = sockets;
    this.webRtcPort = webRtcPort;
    this.iceUfrag = ufrag;
    this.icePwd = pwd;
    this.ice = new IceLiteAgent(ufrag, pwd, clock);
    this.clock = clock;
    this.failures = failures;
    this.keyframeWanted = keyframeWanted;
    this.keyframeInterval = keyframeInterval;
    DatagramChannel channel = sockets.open(webRtcPort);
    SipStream stream;
    try {
      stream = SipStream.bind("audio", sockets, audioPort);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    this.webrtc = channel;
    this.audio = stream;
    try {
      loop.register(webrtc, receiver(this::fromBrowser));
      register(audio);
    } catch (IOException | RuntimeException e) {
      loop.close(webrtc, audio.rtp, audio.rtcp);
      throw e;
    }
  }

  private void register(SipStream stream) throws IOException {
    loop.register(
        stream.rtp, receiver((buf, length, from) -> fromSipRtp(stream, buf, length, from)));
    loop.register(
        stream.rtcp, receiver((buf, length, from) -> fromSipRtcp(stream, buf, length, from)));
  }

  /**
   * Binds the video pair {@code port}, {@code port + 1} and starts reading it; once per call (a
   * re-offer keeps the pair). Loop thread only.
   *
   * @throws java.net.BindException when a port is taken (nothing stays bound)
   */
  void openVideo(int port) throws IOException {
    if (video != null || closed) {
      throw new IllegalStateException("call " + id + " has its video ports already, or is closed");
    }
    SipStream stream = SipStream.bind("video", sockets, port);
    try {
      register(stream);
    } catch (IOException | RuntimeException e) {
      loop.close(stream.rtp, stream.rtcp);
      throw e;
    }
    video = stream;
  }

  /** The video stream toward SIP, once its ports are open. */
  Optional<SipStream> video() {
    return Optional.ofNullable(video);
  }

  /** The browser's ICE username fragment, once known from its SDP. */
  void browserIce(String ufrag) {
    ice.remoteCredentials(ufrag);
  }

  /** Whether the SIP side runs SDES-SRTP now. */
  boolean sipSrtp() {
    return audio.fromSipSrtp != null;
  }

  /** The DTLS role this endpoint took, once its handshake started; it keeps it for the call. */
  Optional<DtlsSrtp.Role> dtlsRole() {
    return Optional.ofNullable(dtlsRole);
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

  /** RTP packets the browser sent that crossed, audio and video (for the media timeout). */
  long packetsFromBrowser() {
    SipStream v = video;
    return audio.fromBrowser.get() + (v == null ? 0 : v.fromBrowser.get());
  }

  /** RTP packets the SIP side sent that crossed, audio and video. */
  long packetsFromSip() {
    SipStream v = video;
    return audio.fromSip.get() + (v == null ? 0 : v.fromSip.get());
  }

  long dropped() {
    return dropped.get();
  }

  /**
   * The audio figures as they always were (bytes, reports), video packets and bytes beside them.
   */
  RelayStats stats() {
    SipStream v = video;
    return new RelayStats(
        audio.fromBrowser.get(),
        audio.fromBrowserBytes.get(),
        audio.fromSip.get(),
        audio.fromSipBytes.get(),
        dropped.get(),
        audio.sipAuthFailures.get() + (v == null ? 0 : v.sipAuthFailures.get()),
        Optional.ofNullable(audio.browserReceives),
        Optional.ofNullable(audio.sipReceives),
        v == null
            ? RelayStats.Video.NONE
            : new RelayStats.Video(
                v.fromBrowser.get(),
                v.fromBrowserBytes.get(),
                v.fromSip.get(),
                v.fromSipBytes.get()),
        unknownStreamDrops.get());
  }

  /**
   * Audio's payload-type map (from the latest offer or answer); SDES as {@link SipStream#sdes} for
   * audio.
   */
  void payloadTypes(PayloadTypeMap map) {
    audio.payloadTypes = map;
  }

  void sdes(Optional<SdesKey> send, Optional<SdesKey> receive) {
    audio.sdes(id, send, receive);
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
    boolean rtcp = (buf[1] & 0xFF) >= 192 && (buf[1] & 0xFF) <= 223;
    if (rtcp) {
      fromBrowserRtcp(in, buf, length);
      return;
    }
    int n = in.unprotect(buf, 0, length);
    if (n < 0) {
      dropped.incrementAndGet();
      return;
    }
    // BUNDLE (RFC 8843 §9.2): the browser's payload types are unique across its m-lines, so the
    // payload type says which stream a packet belongs to
    int pt = buf[1] & 0x7F;
    SipStream stream = audio;
    int sipPt = audio.payloadTypes.toSip(pt);
    SipStream v = video;
    if (sipPt < 0 && v != null) {
      stream = v;
      sipPt = v.payloadTypes.toSip(pt);
    }
    if (sipPt < 0) {
      dropped.incrementAndGet();
      unknownStreamDrops.incrementAndGet();
      return;
    }
    long ssrc = RtcpPackets.unsigned(buf, 8);
    if (stream.browserSsrc != ssrc) {
      stream.browserSsrc = ssrc;
    }
    InetSocketAddress to = stream.sipRtp;
    if (to == null) {
      dropped.incrementAndGet();
      return;
    }
    buf[1] = (byte) ((buf[1] & 0x80) | sipPt);
    stream.fromBrowser.incrementAndGet();
    stream.fromBrowserBytes.addAndGet(n);
    if ((n = stream.toSipProtect(buf, n, false)) < 0) {
      dropped.incrementAndGet();
      return;
    }
    send(stream.rtp, n, to);
  }

  /**
   * The browser's SRTCP: to the SIP socket of the stream whose SSRCs it names (audio when it names
   * none of video's). Key-frame requests about the video go to core instead when the SIP side's
   * video has no {@code a=rtcp-fb} for them.
   */
  private void fromBrowserRtcp(SrtpContext in, byte[] buf, int length) throws IOException {
    int n = in.unprotectRtcp(buf, 0, length);
    if (n < 0) {
      dropped.incrementAndGet();
      return;
    }
    SipStream stream = audio;
    SipStream v = video;
    if (v != null && RtcpPackets.names(buf, n, v.browserSsrc, v.sipSsrc)) {
      stream = v;
      if (!v.keyframeFeedback && RtcpPackets.hasKeyframeRequest(buf, n)) {
        keyframeWanted();
        n = RtcpPackets.removeKeyframeRequests(buf, n);
        if (n == 0) {
          return; // it was only the request: it goes on as SIP INFO
        }
      }
    }
    InetSocketAddress to = stream.sipRtcp;
    if (to == null) {
      dropped.incrementAndGet();
      return;
    }
    SipStream about = stream;
    ReceptionReport.first(buf, 0, n).ifPresent(r -> about.browserReceives = r);
    if ((n = stream.toSipProtect(buf, n, true)) < 0) {
      dropped.incrementAndGet();
      return;
    }
    send(stream.rtcpOut(), n, to);
  }

  /** Tells core, at most once per {@link #keyframeInterval}; loop thread only. */
  private void keyframeWanted() {
    Instant now = clock.get();
    if (lastKeyframeWanted != null && now.isBefore(lastKeyframeWanted.plus(keyframeInterval))) {
      return;
    }
    lastKeyframeWanted = now;
    try {
      keyframeWanted.run();
    } catch (RuntimeException e) {
      log.warn("call {}: key-frame listener failed: {}", id, e.toString());
    }
  }

  private void fromSipRtp(SipStream stream, byte[] buf, int length, InetSocketAddress from)
      throws IOException {
    int type = buf[1] & 0xFF;
    if (length >= 8 && type >= 192 && type <= 223) {
      fromSipRtcp(stream, buf, length, from); // RTCP multiplexed on the RTP port (RFC 5761 §4)
      return;
    }
    if (length < 12 || (buf[0] & 0xC0) != 0x80) {
      dropped.incrementAndGet();
      return;
    }
    if (stream.latched && !from.equals(stream.sipRtp)) {
      dropped.incrementAndGet(); // strict source after latching: no RTP bleed
      return;
    }
    if ((length = stream.fromSipUnprotect(buf, length, false)) < 0) {
      dropped.incrementAndGet(); // never forwarded, never logged per packet
      return;
    }
    if (!stream.latched) {
      // symmetric RTP: answer where the phone sends from (authenticated, if SRTP)
      stream.sipRtp = from;
      stream.latched = true;
    }
    stream.fromSip.incrementAndGet();
    stream.fromSipBytes.addAndGet(length);
    long ssrc = RtcpPackets.unsigned(buf, 8);
    if (stream.sipSsrc != ssrc) {
      stream.sipSsrc = ssrc;
    }
    SrtpContext out = toBrowserSrtp;
    Optional<InetSocketAddress> to = browser();
    int browserPt = stream.payloadTypes.toBrowser(buf[1] & 0x7F);
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

  private void fromSipRtcp(SipStream stream, byte[] buf, int length, InetSocketAddress from)
      throws IOException {
    int type = buf[1] & 0xFF;
    if (length < 8 || (buf[0] & 0xC0) != 0x80 || type < 192 || type > 223) {
      dropped.incrementAndGet(); // not RTCP (RFC 3550 §6.4, RFC 5761 §4 for the type range)
      return;
    }
    if (stream.sipRtcpSource != null && !from.equals(stream.sipRtcpSource)) {
      dropped.incrementAndGet();
      return;
    }
    if ((length = stream.fromSipUnprotect(buf, length, true)) < 0) {
      dropped.incrementAndGet();
      return;
    }
    if (stream.sipRtcpSource == null) {
      stream.sipRtcpSource = from; // latched like RTP, then strict
    }
    SrtpContext out = toBrowserSrtp;
    Optional<InetSocketAddress> to = browser();
    if (out == null || to.isEmpty()) {
      dropped.incrementAndGet();
      return;
    }
    ReceptionReport.first(buf, 0, length).ifPresent(r -> stream.sipReceives = r);
    int n = out.protectRtcp(buf, 0, length);
    if (n > 0) {
      send(webrtc, n, to.get());
    } else {
      dropped.incrementAndGet();
    }
  }

  /**
   * Sends an RTCP PLI (RFC 4585 §6.3.1) from the relay's own SSRC about the video {@code toward}
   * sends: to the browser SRTCP-protected, to the SIP side as its video runs. Nothing when the call
   * has no video, or that side has not sent any yet (no SSRC to name) or cannot be reached. Loop
   * thread only; rare (a SIP INFO), so it may allocate.
   */
  void requestKeyframe(boolean towardBrowser) throws IOException {
    SipStream v = video;
    long media = v == null ? -1 : towardBrowser ? v.browserSsrc : v.sipSsrc;
    if (media < 0 || closed) {
      log.debug("call {}: no video source to ask a key frame of", id);
      return;
    }
    byte[] pli = new byte[RtcpPackets.PLI_LENGTH + SrtpContext.maxOverhead()];
    int n = RtcpPackets.writePli(pli, ownSsrc, (int) media);
    if (towardBrowser) {
      SrtpContext out = toBrowserSrtp;
      Optional<InetSocketAddress> to = browser();
      if (out != null && to.isPresent() && (n = out.protectRtcp(pli, 0, n)) > 0) {
        webrtc.send(ByteBuffer.wrap(pli, 0, n), to.get());
      }
    } else {
      InetSocketAddress to = v.sipRtcp;
      if (to != null && (n = v.toSipProtect(pli, n, true)) > 0) {
        v.rtcpOut().send(ByteBuffer.wrap(pli, 0, n), to);
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
    SipStream v = video;
    if (v != null) {
      loop.close(webrtc, audio.rtp, audio.rtcp, v.rtp, v.rtcp);
    } else {
      loop.close(webrtc, audio.rtp, audio.rtcp);
    }
  }
}

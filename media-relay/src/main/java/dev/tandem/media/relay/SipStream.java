package dev.tandem.media.relay;

import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.srtp.SrtpProfile;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.translate.PayloadTypeMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media stream of a call (its audio, or its video) as the SIP side sees it: its own RTP/RTCP
 * socket pair (the browser bundles both streams on one port, a SIP peer gets one pair per m-line),
 * where the SIP peer receives (latched to where it sends from, RFC 4961), its SDES-SRTP contexts
 * (RFC 4568), how its payload types are renumbered, the SSRC each side sends it with (learned from
 * RTP, so the browser's bundled RTCP can be routed by the SSRCs it names), and its counters.
 *
 * <p>Threads: changed and read on its call's {@link RelayLoop} thread; fields that the stats or a
 * handshake read elsewhere are volatile or atomic.
 */
final class SipStream {
  private static final Logger log = LoggerFactory.getLogger(SipStream.class);

  private static final PayloadTypeMap NONE = new PayloadTypeMap(Map.of());

  /** "audio" or "video", for logs. */
  final String kind;

  /** The even port of the pair (RTP), RTCP on the next one. */
  final int port;

  final DatagramChannel rtp;
  final DatagramChannel rtcp;

  /** Empty: the stream does not cross (not negotiated, or switched off mid-call). */
  volatile PayloadTypeMap payloadTypes = NONE;

  /** Where the SIP side receives RTP (latched) and RTCP; null: nowhere (port 0, not yet known). */
  volatile InetSocketAddress sipRtp;

  volatile InetSocketAddress sipRtcp;
  volatile boolean latched;
  volatile boolean rtcpMuxed;
  private volatile InetSocketAddress sdpRtp;
  volatile InetSocketAddress sipRtcpSource;

  /**
   * Whether the SIP side's SDP takes key-frame requests as RTCP feedback ({@code a=rtcp-fb} {@code
   * nack pli} or {@code ccm fir}, RFC 4585/5104); without it they become SIP INFO (RFC 5168).
   */
  volatile boolean keyframeFeedback;

  /** The SSRC the browser sends this stream with, unsigned; -1 until its first RTP. */
  volatile long browserSsrc = -1;

  /** The SSRC the SIP side sends this stream with, unsigned; -1 until its first RTP. */
  volatile long sipSsrc = -1;

  /** SDES-SRTP toward the SIP side (RFC 4568); null: plain RTP. */
  volatile SrtpContext toSipSrtp;

  volatile SrtpContext fromSipSrtp;

  /**
   * The SIP side's key before a rekey: still accepted until its new key authenticates a packet, so
   * packets in flight across a re-INVITE are not lost.
   */
  private volatile SrtpContext fromSipSrtpBefore;

  /** The keys the contexts above were made from; loop thread only. */
  private SdesKey toSipKey;

  private SdesKey fromSipKey;

  final AtomicLong fromBrowser = new AtomicLong();
  final AtomicLong fromBrowserBytes = new AtomicLong();
  final AtomicLong fromSip = new AtomicLong();
  final AtomicLong fromSipBytes = new AtomicLong();
  final AtomicLong sipAuthFailures = new AtomicLong();

  /** The latest reception report each side sent about this stream's media. */
  volatile ReceptionReport browserReceives;

  volatile ReceptionReport sipReceives;

  private SipStream(String kind, int port, DatagramChannel rtp, DatagramChannel rtcp) {
    this.kind = kind;
    this.port = port;
    this.rtp = rtp;
    this.rtcp = rtcp;
  }

  /**
   * Binds the pair {@code port}, {@code port + 1}.
   *
   * @throws java.net.BindException when a port is taken (nothing stays bound)
   */
  static SipStream bind(String kind, RelaySockets sockets, int port) throws IOException {
    DatagramChannel rtp = sockets.open(port);
    try {
      return new SipStream(kind, port, rtp, sockets.open(port + 1));
    } catch (IOException | RuntimeException e) {
      rtp.close();
      throw e;
    }
  }

  /** The socket the SIP side's RTCP goes out of: the RTP one when multiplexed (RFC 5761). */
  DatagramChannel rtcpOut() {
    return rtcpMuxed ? rtp : rtcp;
  }

  /**
   * Where the SIP side receives RTP and RTCP (its SDP); latching may move RTP later. A new address
   * in a later SDP (a re-INVITE moving the media) latches anew. With {@code rtcpMuxed} RTCP shares
   * the RTP port both ways (RFC 5761).
   */
  void sipAddress(InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMuxed) {
    this.rtcpMuxed = rtcpMuxed;
    if (!rtp.equals(sdpRtp)) {
      sdpRtp = rtp;
      sipRtp = rtp;
      latched = false;
      sipRtcpSource = null;
    }
    sipRtcp = rtcp;
  }

  /**
   * The SIP side refused or removed the stream (port 0): nothing goes to it any more; a later SDP
   * with an address turns it on again, latching anew.
   */
  void stop() {
    sdpRtp = null;
    sipRtp = null;
    sipRtcp = null;
    latched = false;
    sipRtcpSource = null;
  }

  /**
   * The SDES keys of the SIP side (RFC 4568) from the latest offer/answer: {@code send} ours,
   * {@code receive} the SIP peer's; both empty: plain RTP. A key that did not change keeps its
   * context (its rollover counter and replay window); a new receive key keeps the one before it
   * acceptable until the new one authenticates a packet. Loop thread only.
   */
  void sdes(String call, Optional<SdesKey> send, Optional<SdesKey> receive) {
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
          "call {}: SDES-SRTP toward SIP for {}, {}{}",
          call,
          kind,
          fromSipKey.suite(),
          rekey ? " (rekeyed)" : "");
    }
  }

  /**
   * Unprotects an SRTP ({@code rtcp} false) or SRTCP packet of the SIP side in place when the
   * stream runs SDES-SRTP: the RTP/RTCP length (unchanged for plain RTP), or -1 (counted as an
   * authentication failure) when neither the current key nor the one before a rekey authenticates
   * it.
   */
  int fromSipUnprotect(byte[] buf, int length, boolean rtcp) {
    SrtpContext in = fromSipSrtp;
    if (in == null) {
      return length;
    }
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

  /**
   * Protects RTP ({@code rtcp} false) or RTCP toward the SIP side in place when the stream runs
   * SDES-SRTP; the length to send, or -1.
   */
  int toSipProtect(byte[] buf, int length, boolean rtcp) {
    SrtpContext out = toSipSrtp;
    if (out == null) {
      return length;
    }
    return rtcp ? out.protectRtcp(buf, 0, length) : out.protect(buf, 0, length);
  }
}

package dev.tandem.media.srtp;

import dev.tandem.media.BigEndian;

/**
 * SRTP and SRTCP for one direction of one endpoint: the packet index (rollover counter, RFC 3711
 * §3.3.1 and Appendix A), a 64-packet replay window for each SSRC seen (a browser sends one audio
 * SSRC; a few are kept) and the SRTCP index; the cryptography is the profile's {@link
 * SrtpTransform} (AES-CM + HMAC-SHA1, RFC 3711, or AES-GCM, RFC 7714). {@code protect} and {@code
 * unprotect} work in place on the caller's buffer; a packet that is too short, fails authentication
 * or is a replay makes them return -1 so the caller drops and counts it.
 *
 * <p>Not thread-safe: one direction's packets are handled on one thread.
 */
public final class SrtpContext {
  private static final int RTP_HEADER = 12;
  private static final int SRTCP_INDEX = 4;
  private static final int MAX_SSRCS = 8;

  private final SrtpProfile profile;
  private final SrtpTransform transform;
  private final Stream[] streams = new Stream[MAX_SSRCS];
  private int srtcpIndex;

  /**
   * Per-SSRC state (RFC 3711 §3.2.1): as a sender, the highest sequence number and the ROC; as a
   * receiver, the replay windows, whose highest SRTP index carries the ROC and sequence number.
   */
  private static final class Stream {
    final int ssrc;
    boolean started;
    int rolloverCounter;
    int highestSeq;
    final ReplayWindow rtp = new ReplayWindow();
    final ReplayWindow rtcp = new ReplayWindow();

    Stream(int ssrc) {
      this.ssrc = ssrc;
    }
  }

  public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
    this(profile, checked(profile, masterKey, masterSalt));
  }

  SrtpContext(SrtpProfile profile, SrtpTransform transform) {
    this.profile = profile;
    this.transform = transform;
  }

  private static SrtpTransform checked(SrtpProfile profile, byte[] key, byte[] salt) {
    if (key.length != profile.keyLength || salt.length != profile.saltLength) {
      throw new IllegalArgumentException("master key/salt lengths do not fit " + profile);
    }
    return SrtpTransform.of(profile, key, salt);
  }

  public SrtpProfile profile() {
    return profile;
  }

  /** The largest growth of a packet under any profile: SRTCP's index and a 16-byte tag. */
  public static int maxOverhead() {
    return SRTCP_INDEX + 16;
  }

  // ---- SRTP

  /**
   * Encrypts the RTP packet in {@code buf[offset..offset+length)} and appends the tag; {@code buf}
   * must have room for {@link SrtpProfile#rtpTagLength} more bytes. Returns the new length, or -1
   * for a packet that is not RTP.
   */
  public int protect(byte[] buf, int offset, int length) {
    int header = rtpHeaderLength(buf, offset, length);
    if (header < 0 || offset + length + profile.rtpTagLength > buf.length) {
      return -1;
    }
    int seq = BigEndian.readShort(buf, offset + 2);
    Stream s = stream(BigEndian.readInt(buf, offset + 8));
    if (!s.started) {
      s.started = true;
      s.highestSeq = seq;
    } else if (((seq - s.highestSeq) & 0xFFFF) < 0x8000 && seq != s.highestSeq) {
      if (seq < s.highestSeq) {
        s.rolloverCounter++; // RFC 3711 §3.3.1: the sender's sequence number wrapped
      }
      s.highestSeq = seq;
    }
    long index = ((long) s.rolloverCounter << 16) | seq;
    return transform.protectRtp(buf, offset, header, length, s.ssrc, index);
  }

  /**
   * Authenticates and decrypts the SRTP packet in place; returns the RTP length, or -1 when it is
   * too short, fails authentication or is a replay (RFC 3711 §3.3.2).
   */
  public int unprotect(byte[] buf, int offset, int length) {
    int payloadEnd = length - profile.rtpTagLength;
    int header = rtpHeaderLength(buf, offset, payloadEnd);
    if (header < 0) {
      return -1;
    }
    int seq = BigEndian.readShort(buf, offset + 2);
    Stream s = stream(BigEndian.readInt(buf, offset + 8));
    // RFC 3711 Appendix A: guess the ROC from the highest index accepted so far
    ReplayWindow window = s.rtp;
    int v = 0;
    if (window.started()) {
      int roc = (int) (window.highest() >>> 16);
      int highestSeq = (int) (window.highest() & 0xFFFF);
      v = roc;
      if (highestSeq < 0x8000) {
        if (seq - highestSeq > 0x8000) {
          v = roc - 1;
        }
      } else if (highestSeq - 0x8000 > seq) {
        v = roc + 1;
      }
    }
    long index = ((long) v << 16) | seq;
    if (window.isReplay(index)) {
      return -1;
    }
    int n = transform.unprotectRtp(buf, offset, header, length, s.ssrc, index);
    if (n >= 0) {
      window.accept(index);
    }
    return n;
  }

  // ---- SRTCP

  /**
   * Encrypts the RTCP compound packet in place and appends the E flag, SRTCP index and tag (RFC
   * 3711 §3.4, RFC 7714 §9); returns the new length or -1.
   */
  public int protectRtcp(byte[] buf, int offset, int length) {
    if (length < 8
        || offset + length + SRTCP_INDEX + profile.rtcpTagLength > buf.length
        || (buf[offset] & 0xC0) != 0x80) {
      return -1;
    }
    int index = srtcpIndex;
    srtcpIndex = (srtcpIndex + 1) & 0x7FFFFFFF;
    return transform.protectRtcp(buf, offset, length, BigEndian.readInt(buf, offset + 4), index);
  }

  /** Authenticates and decrypts an SRTCP packet in place; returns the RTCP length or -1. */
  public int unprotectRtcp(byte[] buf, int offset, int length) {
    int wordAt = transform.srtcpWordAt(length);
    if (wordAt < 8 || length - profile.rtcpTagLength - SRTCP_INDEX < 8) {
      return -1;
    }
    int word = BigEndian.readInt(buf, offset + wordAt);
    Stream s = stream(BigEndian.readInt(buf, offset + 4));
    int index = word & 0x7FFFFFFF;
    if (s.rtcp.isReplay(index)) {
      return -1;
    }
    int n = transform.unprotectRtcp(buf, offset, length, s.ssrc, word);
    if (n >= 0) {
      s.rtcp.accept(index);
    }
    return n;
  }

  // ---- helpers

  /** The RTP header length (RFC 3550 §5.1: CSRCs, extension), or -1 when it does not fit. */
  static int rtpHeaderLength(byte[] buf, int offset, int length) {
    if (length < RTP_HEADER || (buf[offset] & 0xC0) != 0x80) {
      return -1;
    }
    int header = RTP_HEADER + 4 * (buf[offset] & 0x0F);
    if ((buf[offset] & 0x10) != 0) {
      if (header + 4 > length) {
        return -1;
      }
      header += 4 + 4 * BigEndian.readShort(buf, offset + header + 2);
    }
    return header <= length ? header : -1;
  }

  private Stream stream(int ssrc) {
    int free = -1;
    for (int i = 0; i < streams.length; i++) {
      if (streams[i] == null) {
        if (free < 0) {
          free = i;
        }
      } else if (streams[i].ssrc == ssrc) {
        return streams[i];
      }
    }
    Stream s = new Stream(ssrc);
    streams[free >= 0 ? free : Math.floorMod(ssrc, streams.length)] = s;
    return s;
  }
}

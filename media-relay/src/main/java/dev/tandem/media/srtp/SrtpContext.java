package dev.tandem.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP (RFC 3711) for one direction of one endpoint: AES-CM encryption, HMAC-SHA1
 * authentication, the rollover counter and a 64-packet replay window for each SSRC seen (a browser
 * sends one audio SSRC; a few are kept). {@code protect} and {@code unprotect} work in place on the
 * caller's buffer and allocate nothing per packet; a packet that is too short, fails authentication
 * or is a replay makes them return -1 so the caller drops and counts it.
 *
 * <p>Not thread-safe: one direction's packets are handled on one thread.
 */
public final class SrtpContext {
  private static final int RTP_HEADER = 12;
  private static final int SRTCP_INDEX = 4;
  private static final int SRTCP_TAG = 10;
  private static final int MAX_SSRCS = 8;

  private final SrtpProfile profile;
  private final AesCounterMode rtpCipher;
  private final AesCounterMode rtcpCipher;
  private final Mac rtpMac;
  private final Mac rtcpMac;
  private final byte[] rtpSalt;
  private final byte[] rtcpSalt;
  private final byte[] iv = new byte[16];
  private final byte[] tag = new byte[20];
  private final byte[] roc = new byte[4];
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
    this.profile = profile;
    if (masterKey.length != profile.keyLength || masterSalt.length != profile.saltLength) {
      throw new IllegalArgumentException("master key/salt lengths do not fit " + profile);
    }
    rtpCipher =
        new AesCounterMode(
            SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_ENCRYPTION, 16));
    rtcpCipher =
        new AesCounterMode(
            SrtpKeyDerivation.derive(
                masterKey, masterSalt, SrtpKeyDerivation.SRTCP_ENCRYPTION, 16));
    rtpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_SALT, 14);
    rtcpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTCP_SALT, 14);
    rtpMac =
        hmac(
            SrtpKeyDerivation.derive(
                masterKey, masterSalt, SrtpKeyDerivation.SRTP_AUTHENTICATION, 20));
    rtcpMac =
        hmac(
            SrtpKeyDerivation.derive(
                masterKey, masterSalt, SrtpKeyDerivation.SRTCP_AUTHENTICATION, 20));
  }

  private static Mac hmac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  /** The largest growth of a packet: the SRTCP index and tag. */
  public static int maxOverhead() {
    return SRTCP_INDEX + SRTCP_TAG;
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
    int seq = readShort(buf, offset + 2);
    Stream s = stream(readInt(buf, offset + 8));
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
    iv(rtpSalt, s.ssrc, index);
    rtpCipher.apply(iv, buf, offset + header, length - header);
    if (!rtpTag(buf, offset, length, s.rolloverCounter)) {
      return -1;
    }
    System.arraycopy(tag, 0, buf, offset + length, profile.rtpTagLength);
    return length + profile.rtpTagLength;
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
    int seq = readShort(buf, offset + 2);
    Stream s = stream(readInt(buf, offset + 8));
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
    if (!rtpTag(buf, offset, payloadEnd, v)
        || !sameTag(tag, buf, offset + payloadEnd, profile.rtpTagLength)) {
      return -1;
    }
    iv(rtpSalt, s.ssrc, index);
    rtpCipher.apply(iv, buf, offset + header, payloadEnd - header);
    window.accept(index);
    return payloadEnd;
  }

  /**
   * RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), into {@link #iv}; the
   * SRTCP index (§4.1.1 as well) sits where the SRTP index does.
   */
  private void iv(byte[] salt, int ssrc, long index) {
    System.arraycopy(salt, 0, iv, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv[4] ^= (byte) (ssrc >>> 24);
    iv[5] ^= (byte) (ssrc >>> 16);
    iv[6] ^= (byte) (ssrc >>> 8);
    iv[7] ^= (byte) ssrc;
    for (int i = 0; i < 6; i++) {
      iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
    }
  }

  /** HMAC-SHA1 over the packet and the ROC (RFC 3711 §4.2) into {@link #tag}. */
  private boolean rtpTag(byte[] buf, int offset, int length, int rolloverCounter) {
    writeInt(roc, 0, rolloverCounter);
    rtpMac.update(buf, offset, length);
    rtpMac.update(roc);
    try {
      rtpMac.doFinal(tag, 0);
      return true;
    } catch (ShortBufferException e) {
      return false;
    }
  }

  // ---- SRTCP

  /**
   * Encrypts the RTCP compound packet in place and appends E-flag + SRTCP index and the 10-byte tag
   * (RFC 3711 §3.4); returns the new length or -1.
   */
  public int protectRtcp(byte[] buf, int offset, int length) {
    if (length < 8 || offset + length + SRTCP_INDEX + SRTCP_TAG > buf.length) {
      return -1;
    }
    int ssrc = readInt(buf, offset + 4);
    int index = srtcpIndex;
    srtcpIndex = (srtcpIndex + 1) & 0x7FFFFFFF;
    iv(rtcpSalt, ssrc, index);
    rtcpCipher.apply(iv, buf, offset + 8, length - 8);
    writeInt(buf, offset + length, index | 0x80000000);
    rtcpMac.update(buf, offset, length + SRTCP_INDEX);
    try {
      rtcpMac.doFinal(tag, 0);
    } catch (ShortBufferException e) {
      return -1;
    }
    System.arraycopy(tag, 0, buf, offset + length + SRTCP_INDEX, SRTCP_TAG);
    return length + SRTCP_INDEX + SRTCP_TAG;
  }

  /** Authenticates and decrypts an SRTCP packet in place; returns the RTCP length or -1. */
  public int unprotectRtcp(byte[] buf, int offset, int length) {
    int end = length - SRTCP_TAG - SRTCP_INDEX;
    if (end < 8) {
      return -1;
    }
    rtcpMac.update(buf, offset, end + SRTCP_INDEX);
    try {
      rtcpMac.doFinal(tag, 0);
    } catch (ShortBufferException e) {
      return -1;
    }
    if (!sameTag(tag, buf, offset + end + SRTCP_INDEX, SRTCP_TAG)) {
      return -1;
    }
    int word = readInt(buf, offset + end);
    int index = word & 0x7FFFFFFF;
    Stream s = stream(readInt(buf, offset + 4));
    if (s.rtcp.isReplay(index)) {
      return -1;
    }
    s.rtcp.accept(index);
    if ((word & 0x80000000) != 0) {
      iv(rtcpSalt, s.ssrc, index);
      rtcpCipher.apply(iv, buf, offset + 8, end - 8);
    }
    return end;
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
      header += 4 + 4 * readShort(buf, offset + header + 2);
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

  /** Constant-time comparison of the computed tag with the packet's (no early exit). */
  private static boolean sameTag(byte[] computed, byte[] packet, int at, int n) {
    int diff = 0;
    for (int i = 0; i < n; i++) {
      diff |= computed[i] ^ packet[at + i];
    }
    return diff == 0;
  }

  static int readShort(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static int readInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  static void writeInt(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 24);
    b[at + 1] = (byte) (value >>> 16);
    b[at + 2] = (byte) (value >>> 8);
    b[at + 3] = (byte) value;
  }
}

package dev.tandem.media.srtp;

import dev.tandem.media.BigEndian;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter mode with HMAC-SHA1 (RFC 3711 §4.1.1, §4.2): the RTP tag covers the packet and the
 * ROC; the SRTCP packet carries E flag + index before its 10-byte tag. Allocates nothing per
 * packet.
 */
final class AesCmHmacTransform implements SrtpTransform {
  private static final int SRTCP_INDEX = 4;

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

  AesCmHmacTransform(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
    this.profile = profile;
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

  @Override
  public int protectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index) {
    iv(rtpSalt, ssrc, index);
    rtpCipher.apply(iv, buf, offset + header, length - header);
    if (!rtpMac(buf, offset, length, (int) (index >>> 16))) {
      return -1;
    }
    System.arraycopy(tag, 0, buf, offset + length, profile.rtpTagLength);
    return length + profile.rtpTagLength;
  }

  @Override
  public int unprotectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index) {
    int end = length - profile.rtpTagLength;
    if (!rtpMac(buf, offset, end, (int) (index >>> 16))
        || !sameTag(tag, buf, offset + end, profile.rtpTagLength)) {
      return -1;
    }
    iv(rtpSalt, ssrc, index);
    rtpCipher.apply(iv, buf, offset + header, end - header);
    return end;
  }

  @Override
  public int protectRtcp(byte[] buf, int offset, int length, int ssrc, int index) {
    iv(rtcpSalt, ssrc, index);
    rtcpCipher.apply(iv, buf, offset + 8, length - 8);
    BigEndian.writeInt(buf, offset + length, index | 0x80000000);
    if (!rtcpMac(buf, offset, length + SRTCP_INDEX)) {
      return -1;
    }
    System.arraycopy(tag, 0, buf, offset + length + SRTCP_INDEX, profile.rtcpTagLength);
    return length + SRTCP_INDEX + profile.rtcpTagLength;
  }

  @Override
  public int srtcpWordAt(int length) {
    return length - profile.rtcpTagLength - SRTCP_INDEX;
  }

  @Override
  public int unprotectRtcp(byte[] buf, int offset, int length, int ssrc, int word) {
    int end = srtcpWordAt(length);
    if (!rtcpMac(buf, offset, end + SRTCP_INDEX)
        || !sameTag(tag, buf, offset + end + SRTCP_INDEX, profile.rtcpTagLength)) {
      return -1;
    }
    if ((word & 0x80000000) != 0) {
      iv(rtcpSalt, ssrc, word & 0x7FFFFFFF);
      rtcpCipher.apply(iv, buf, offset + 8, end - 8);
    }
    return end;
  }

  /**
   * RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), into {@link #iv}; the
   * SRTCP index sits where the SRTP index does.
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

  /** HMAC-SHA1 over an SRTP packet and its ROC (RFC 3711 §4.2) into {@link #tag}. */
  private boolean rtpMac(byte[] buf, int offset, int length, int rolloverCounter) {
    BigEndian.writeInt(roc, 0, rolloverCounter);
    rtpMac.update(buf, offset, length);
    rtpMac.update(roc);
    return finish(rtpMac);
  }

  /** HMAC-SHA1 over an SRTCP packet up to and including its index into {@link #tag}. */
  private boolean rtcpMac(byte[] buf, int offset, int length) {
    rtcpMac.update(buf, offset, length);
    return finish(rtcpMac);
  }

  private boolean finish(Mac mac) {
    try {
      mac.doFinal(tag, 0);
      return true;
    } catch (ShortBufferException e) {
      return false;
    }
  }

  /** Constant-time comparison of the computed tag with the packet's (no early exit). */
  private static boolean sameTag(byte[] computed, byte[] packet, int at, int n) {
    int diff = 0;
    for (int i = 0; i < n; i++) {
      diff |= computed[i] ^ packet[at + i];
    }
    return diff == 0;
  }
}

package dev.tandem.media.srtp;

import dev.tandem.media.BigEndian;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714) on the JDK's AES-GCM: the RTP header (or the first 8 RTCP bytes and
 * the E flag + SRTCP index) is the associated data, the payload is encrypted, a 16-byte tag
 * follows; in SRTCP the E flag + index come after the tag (§9). The 12-byte IV is the salt XOR
 * SSRC, ROC and sequence number (§8.1) or SSRC and SRTCP index (§9.1).
 *
 * <p>The JDK refuses to encrypt twice with one IV; a packet protected a second time with the same
 * index (a duplicate from the far end) therefore fails and is dropped, as reusing a GCM nonce must.
 */
final class AesGcmTransform implements SrtpTransform {
  private static final int TAG = 16;
  private static final int SRTCP_INDEX = 4;

  private final Cipher rtp;
  private final Cipher rtcp;
  private final SecretKeySpec rtpKey;
  private final SecretKeySpec rtcpKey;
  private final byte[] rtpSalt;
  private final byte[] rtcpSalt;
  private final byte[] iv = new byte[12];
  private final byte[] word = new byte[4];

  /** Derives the session keys and salts from the master key and salt (RFC 7714 §11). */
  static AesGcmTransform fromMaster(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
    return new AesGcmTransform(
        SrtpKeyDerivation.derive(
            masterKey, masterSalt, SrtpKeyDerivation.SRTP_ENCRYPTION, profile.keyLength),
        SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_SALT, 12),
        SrtpKeyDerivation.derive(
            masterKey, masterSalt, SrtpKeyDerivation.SRTCP_ENCRYPTION, profile.keyLength),
        SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTCP_SALT, 12));
  }

  /** With session keys and salts as given (the RFC 7714 vectors give those). */
  AesGcmTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
    this.rtpKey = new SecretKeySpec(rtpKey, "AES");
    this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
    this.rtpSalt = rtpSalt.clone();
    this.rtcpSalt = rtcpSalt.clone();
    try {
      rtp = Cipher.getInstance("AES/GCM/NoPadding");
      rtcp = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  @Override
  public int protectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index) {
    return rtp(Cipher.ENCRYPT_MODE, buf, offset, header, length, ssrc, index);
  }

  @Override
  public int unprotectRtp(byte[] buf, int offset, int header, int length, int ssrc, long index) {
    if (length - header < TAG) {
      return -1;
    }
    return rtp(Cipher.DECRYPT_MODE, buf, offset, header, length, ssrc, index);
  }

  /** The header is the associated data, the payload (and, decrypting, its tag) the text. */
  private int rtp(int mode, byte[] buf, int offset, int header, int length, int ssrc, long index) {
    rtpIv(ssrc, index);
    try {
      rtp.init(mode, rtpKey, new GCMParameterSpec(TAG * 8, iv));
      rtp.updateAAD(buf, offset, header);
      return header + rtp.doFinal(buf, offset + header, length - header, buf, offset + header);
    } catch (GeneralSecurityException | IllegalStateException e) {
      return -1;
    }
  }

  @Override
  public int protectRtcp(byte[] buf, int offset, int length, int ssrc, int index) {
    rtcpIv(ssrc, index);
    BigEndian.writeInt(word, 0, index | 0x80000000);
    try {
      rtcp.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
      rtcp.updateAAD(buf, offset, 8);
      rtcp.updateAAD(word);
      int n = 8 + rtcp.doFinal(buf, offset + 8, length - 8, buf, offset + 8);
      System.arraycopy(word, 0, buf, offset + n, SRTCP_INDEX);
      return n + SRTCP_INDEX;
    } catch (GeneralSecurityException | IllegalStateException e) {
      return -1;
    }
  }

  @Override
  public int srtcpWordAt(int length) {
    return length - SRTCP_INDEX;
  }

  @Override
  public int unprotectRtcp(byte[] buf, int offset, int length, int ssrc, int index) {
    int end = srtcpWordAt(length);
    if (end - 8 < TAG) {
      return -1;
    }
    boolean encrypted = (index & 0x80000000) != 0;
    rtcpIv(ssrc, index & 0x7FFFFFFF);
    try {
      rtcp.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG * 8, iv));
      if (encrypted) {
        rtcp.updateAAD(buf, offset, 8);
        rtcp.updateAAD(buf, offset + end, SRTCP_INDEX);
        return 8 + rtcp.doFinal(buf, offset + 8, end - 8, buf, offset + 8);
      }
      // E = 0 (§9.2): the whole RTCP packet is authenticated only; the tag is all that GCM sees
      rtcp.updateAAD(buf, offset, end - TAG);
      rtcp.updateAAD(buf, offset + end, SRTCP_INDEX);
      rtcp.doFinal(buf, offset + end - TAG, TAG, buf, offset + end - TAG);
      return end - TAG;
    } catch (GeneralSecurityException | IllegalStateException e) {
      return -1;
    }
  }

  /** RFC 7714 §8.1: 00 00 || SSRC || ROC || SEQ, XOR the salt. */
  private void rtpIv(int ssrc, long index) {
    iv[0] = rtpSalt[0];
    iv[1] = rtpSalt[1];
    xorInt(rtpSalt, 2, ssrc);
    for (int i = 0; i < 6; i++) {
      iv[6 + i] = (byte) (rtpSalt[6 + i] ^ (index >>> (40 - 8 * i)));
    }
  }

  /** RFC 7714 §9.1: 00 00 || SSRC || 00 00 || 0 + SRTCP index, XOR the salt. */
  private void rtcpIv(int ssrc, int index) {
    iv[0] = rtcpSalt[0];
    iv[1] = rtcpSalt[1];
    xorInt(rtcpSalt, 2, ssrc);
    iv[6] = rtcpSalt[6];
    iv[7] = rtcpSalt[7];
    xorInt(rtcpSalt, 8, index);
  }

  private void xorInt(byte[] salt, int at, int value) {
    for (int i = 0; i < 4; i++) {
      iv[at + i] = (byte) (salt[at + i] ^ (value >>> (24 - 8 * i)));
    }
  }
}

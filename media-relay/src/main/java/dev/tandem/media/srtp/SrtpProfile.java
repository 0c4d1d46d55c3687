package dev.tandem.media.srtp;

/** SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2) this relay implements. */
public enum SrtpProfile {
  /** SRTP_AES128_CM_HMAC_SHA1_80: what every browser supports. */
  AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10, 10, false),
  /** SRTP_AES128_CM_HMAC_SHA1_32: 4-byte RTP tags (SRTCP keeps 10). */
  AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, 4, 10, false),
  /** SRTP_AEAD_AES_128_GCM (RFC 7714): AES-GCM, a 16-byte tag on both RTP and RTCP. */
  AEAD_AES_128_GCM(0x0007, 16, 12, 16, 16, true);

  /** The DTLS use_srtp value. */
  public final int id;

  public final int keyLength;
  public final int saltLength;

  /** Authentication tag length of SRTP packets. */
  public final int rtpTagLength;

  /** Authentication tag length of SRTCP packets (10 for AES-CM, RFC 3711 §5.2). */
  public final int rtcpTagLength;

  /** An AEAD transform (RFC 7714) rather than AES-CM with HMAC-SHA1 (RFC 3711). */
  public final boolean aead;

  SrtpProfile(
      int id, int keyLength, int saltLength, int rtpTagLength, int rtcpTagLength, boolean aead) {
    this.id = id;
    this.keyLength = keyLength;
    this.saltLength = saltLength;
    this.rtpTagLength = rtpTagLength;
    this.rtcpTagLength = rtcpTagLength;
    this.aead = aead;
  }

  /** The transform an SDES crypto suite (RFC 4568 §6.2, RFC 7714 §12) names. */
  public static SrtpProfile of(dev.tandem.sdp.SdesSuite suite) {
    return switch (suite) {
      case AES_CM_128_HMAC_SHA1_80 -> AES128_CM_HMAC_SHA1_80;
      case AES_CM_128_HMAC_SHA1_32 -> AES128_CM_HMAC_SHA1_32;
      case AEAD_AES_128_GCM -> AEAD_AES_128_GCM;
    };
  }

  /** The context that protects or unprotects with an SDES key. */
  public static SrtpContext context(dev.tandem.sdp.SdesKey key) {
    return new SrtpContext(of(key.suite()), key.masterKey(), key.masterSalt());
  }

  /** The profile with the DTLS use_srtp value {@code id}, or null. */
  public static SrtpProfile byId(int id) {
    for (SrtpProfile p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }
}

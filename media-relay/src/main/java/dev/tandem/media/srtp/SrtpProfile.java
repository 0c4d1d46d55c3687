package dev.tandem.media.srtp;

/** SRTP protection profiles (RFC 5764 §4.1.2) this relay implements. */
public enum SrtpProfile {
  /** SRTP_AES128_CM_HMAC_SHA1_80: what every browser offers first. */
  AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10),
  /** SRTP_AES128_CM_HMAC_SHA1_32: 4-byte RTP tags (SRTCP keeps 10). */
  AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, 4);

  /** The DTLS use_srtp value. */
  public final int id;

  public final int keyLength;
  public final int saltLength;

  /** Authentication tag length of SRTP packets; SRTCP always uses 10 (RFC 3711 §5.2). */
  public final int rtpTagLength;

  SrtpProfile(int id, int keyLength, int saltLength, int rtpTagLength) {
    this.id = id;
    this.keyLength = keyLength;
    this.saltLength = saltLength;
    this.rtpTagLength = rtpTagLength;
  }
}

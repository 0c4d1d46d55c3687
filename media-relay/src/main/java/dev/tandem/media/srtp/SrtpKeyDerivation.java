package dev.tandem.media.srtp;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of 0, as DTLS-SRTP
 * (RFC 5764) and every WebRTC endpoint use: session keys from the master key and salt by AES-CM
 * over {@code (label || 0) XOR master salt}. The 12-byte salts of AES-GCM (RFC 7714 §11) enter the
 * same function padded with two zero bytes, as libsrtp does.
 */
public final class SrtpKeyDerivation {
  private SrtpKeyDerivation() {}

  public static final int SRTP_ENCRYPTION = 0x00;
  public static final int SRTP_AUTHENTICATION = 0x01;
  public static final int SRTP_SALT = 0x02;
  public static final int SRTCP_ENCRYPTION = 0x03;
  public static final int SRTCP_AUTHENTICATION = 0x04;
  public static final int SRTCP_SALT = 0x05;

  /** {@code length} bytes of the session key with {@code label}. */
  public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    if (masterSalt.length != 14 && masterSalt.length != 12) {
      throw new IllegalArgumentException(
          "an SRTP master salt has 14 bytes (112 bits), or 12 for AES-GCM");
    }
    byte[] iv = new byte[16];
    System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
    // key_id = label || r, with r = 0 (kdr 0); it lines up with salt bytes 7..13
    iv[7] ^= (byte) label;
    byte[] out = new byte[length];
    new AesCounterMode(masterKey).apply(iv, out, 0, length);
    return out;
  }
}

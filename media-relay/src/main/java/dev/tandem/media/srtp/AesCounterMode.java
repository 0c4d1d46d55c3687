package dev.tandem.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): a 16-byte IV whose last two bytes count
 * blocks. Built on the JDK's AES block cipher (ECB on the counter blocks), so one instance is set
 * up once and reused for every packet with no allocation. Not thread-safe.
 */
final class AesCounterMode {
  private final Cipher aes;
  private byte[] counters = new byte[16 * 64];
  private byte[] stream = new byte[16 * 64];

  AesCounterMode(byte[] key) {
    try {
      aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "AES key of " + key.length + " bytes: " + e.getMessage(), e);
    }
  }

  /** XORs {@code data[offset..offset+length)} with the keystream that starts at {@code iv}. */
  void apply(byte[] iv, byte[] data, int offset, int length) {
    int blocks = (length + 15) / 16;
    if (blocks * 16 > counters.length) {
      counters = new byte[blocks * 16];
      stream = new byte[blocks * 16];
    }
    for (int b = 0; b < blocks; b++) {
      int at = b * 16;
      System.arraycopy(iv, 0, counters, at, 14);
      // RFC 3711 §4.1.1: the 16-bit block counter is added to the low bits of the IV
      int counter = ((iv[14] & 0xFF) << 8 | (iv[15] & 0xFF)) + b;
      counters[at + 14] = (byte) (counter >>> 8);
      counters[at + 15] = (byte) counter;
    }
    try {
      aes.doFinal(counters, 0, blocks * 16, stream, 0);
    } catch (ShortBufferException
        | javax.crypto.IllegalBlockSizeException
        | javax.crypto.BadPaddingException e) {
      throw new IllegalStateException("AES-ECB on whole blocks cannot fail", e);
    }
    for (int i = 0; i < length; i++) {
      data[offset + i] ^= stream[i];
    }
  }
}

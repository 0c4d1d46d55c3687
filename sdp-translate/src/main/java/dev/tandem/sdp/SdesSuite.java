package dev.tandem.sdp;

import java.util.Optional;

/**
 * The SDES crypto suites (RFC 4568 §6.2, RFC 7714 §12) the bridge speaks, in its order of
 * preference, with the lengths of the master key and salt that {@code inline:} carries.
 */
public enum SdesSuite {
  /** AES-CM, 128-bit key, 80-bit HMAC-SHA1 tag: what every SDES endpoint has (RFC 4568 §6.2.1). */
  AES_CM_128_HMAC_SHA1_80(16, 14),
  /** The same with a 32-bit RTP tag (SRTCP keeps 80 bits, RFC 4568 §6.2.2). */
  AES_CM_128_HMAC_SHA1_32(16, 14),
  /** AES-GCM with a 128-bit key and a 96-bit salt (RFC 7714 §12). */
  AEAD_AES_128_GCM(16, 12);

  public final int keyLength;
  public final int saltLength;

  SdesSuite(int keyLength, int saltLength) {
    this.keyLength = keyLength;
    this.saltLength = saltLength;
  }

  /** The suite named {@code name} exactly as RFC 4568 spells it, or empty. */
  public static Optional<SdesSuite> named(String name) {
    for (SdesSuite s : values()) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

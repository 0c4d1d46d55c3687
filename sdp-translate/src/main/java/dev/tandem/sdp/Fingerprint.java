package dev.tandem.sdp;

import java.util.Locale;
import java.util.Objects;

/**
 * {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122 §5): the hash of the DTLS certificate
 * the peer will present. Checked strictly, because a wrong fingerprint fails the DTLS handshake.
 *
 * @param hashFunction lower case, e.g. {@code sha-256}
 * @param fingerprint upper-case hex pairs separated by colons
 */
public record Fingerprint(String hashFunction, String fingerprint) {

  public static final String NAME = "fingerprint";
  static final String EXPECTED = "a=fingerprint needs <hash-func> <XX:XX:...> (hex pairs)";

  public Fingerprint {
    Objects.requireNonNull(hashFunction, "hashFunction");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (!Syntax.isToken(hashFunction) || !isHexPairs(fingerprint)) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=fingerprint:}. */
  public static Fingerprint parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    var f = Syntax.fields(value);
    if (f.size() != 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Fingerprint(f.get(0), f.get(1));
  }

  /** A fingerprint from raw hash bytes, written as RFC 8122 asks (upper-case hex). */
  public static Fingerprint of(String hashFunction, byte[] hash) {
    StringBuilder sb = new StringBuilder(hash.length * 3);
    for (byte b : hash) {
      if (sb.length() > 0) {
        sb.append(':');
      }
      sb.append(String.format(Locale.ROOT, "%02X", b & 0xff));
    }
    return new Fingerprint(hashFunction.toLowerCase(Locale.ROOT), sb.toString());
  }

  /** The hash bytes. */
  public byte[] bytes() {
    String[] pairs = fingerprint.split(":");
    byte[] out = new byte[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      out[i] = (byte) Integer.parseInt(pairs[i], 16);
    }
    return out;
  }

  private static boolean isHexPairs(String s) {
    String[] pairs = s.split(":", -1);
    for (String pair : pairs) {
      if (pair.length() != 2
          || !Syntax.isHexDigit(pair.charAt(0))
          || !Syntax.isHexDigit(pair.charAt(1))) {
        return false;
      }
    }
    return true;
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, hashFunction + " " + fingerprint);
  }
}

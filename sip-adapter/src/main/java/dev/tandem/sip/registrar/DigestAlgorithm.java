package dev.tandem.sip.registrar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The digest algorithms the registrar verifies (RFC 3261 §22.4 MD5, RFC 8760 SHA-256), and the
 * computations of RFC 7616 §3.4 (without the {@code -sess} variants, which SIP phones do not use).
 */
public enum DigestAlgorithm {
  SHA_256("SHA-256", "SHA-256"),
  MD5("MD5", "MD5");

  private final String wireName;
  private final String jcaName;

  DigestAlgorithm(String wireName, String jcaName) {
    this.wireName = wireName;
    this.jcaName = jcaName;
  }

  /** The name in {@code algorithm=}. */
  public String wireName() {
    return wireName;
  }

  /** The algorithm named in a header; absent means MD5 (RFC 3261 §25.1). */
  public static Optional<DigestAlgorithm> parse(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of(MD5);
    }
    for (DigestAlgorithm a : values()) {
      if (a.wireName.equals(name.toUpperCase(Locale.ROOT))) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Lower-case hex of the hash of {@code text} (UTF-8). */
  public String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(jcaName).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is missing from this JDK", e);
    }
  }

  /** H(A1) = H(username:realm:password). */
  public String ha1(String username, String realm, String password) {
    return hash(username + ":" + realm + ":" + password);
  }

  /**
   * The expected {@code response}: with qop=auth H(HA1:nonce:nc:cnonce:auth:HA2), without qop (RFC
   * 2069 compatibility) H(HA1:nonce:HA2); HA2 = H(method:uri).
   */
  public String response(
      String ha1, String nonce, String nc, String cnonce, String qop, String method, String uri) {
    String ha2 = hash(method + ":" + uri);
    if (qop == null || qop.isEmpty()) {
      return hash(ha1 + ":" + nonce + ":" + ha2);
    }
    return hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
  }
}

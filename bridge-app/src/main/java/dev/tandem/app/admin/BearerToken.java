package dev.tandem.app.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The admin API's one credential: an {@code Authorization: Bearer <token>} header compared with the
 * configured token in constant time (both hashed first, so that not even the length leaks through
 * timing).
 */
final class BearerToken {
  private static final String PREFIX = "Bearer ";
  private final byte[] expected;

  BearerToken(String token) {
    if (token.isBlank()) {
      throw new IllegalArgumentException("admin.token is required");
    }
    this.expected = sha256(token);
  }

  /** Whether the header carries the token. */
  boolean accepts(Optional<String> authorization) {
    if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, PREFIX, 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        expected, sha256(authorization.get().substring(PREFIX.length()).strip()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

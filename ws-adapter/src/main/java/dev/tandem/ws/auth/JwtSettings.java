package dev.tandem.ws.auth;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.SelfChecking;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code auth.jwt} section: which signed tokens are accepted.
 *
 * @param hs256Secret the HMAC secret of HS256 tokens (at least 32 bytes); empty disables HS256
 * @param ed25519PublicKey the PEM public key of EdDSA tokens; empty disables EdDSA
 * @param issuer the required {@code iss}; empty means not checked
 * @param audience the required {@code aud}; empty means not checked
 * @param clockSkew tolerance for {@code exp}, {@code nbf}, {@code iat}
 */
public record JwtSettings(
    String hs256Secret,
    String ed25519PublicKey,
    String issuer,
    String audience,
    @DurationRange(minMillis = 0, maxMillis = 300_000) Duration clockSkew)
    implements SelfChecking {

  public static JwtSettings defaults() {
    return new JwtSettings("", "", "", "", Duration.ofSeconds(30));
  }

  public boolean enabled() {
    return !hs256Secret.isEmpty() || !ed25519PublicKey.isEmpty();
  }

  @Override
  public void check(Problems problems) {
    if (!hs256Secret.isEmpty() && hs256Secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      problems.add("hs256-secret", "must be at least 32 bytes (RFC 7518 §3.2)");
    }
    if (!ed25519PublicKey.isEmpty()) {
      try {
        PublicKeys.ed25519(ed25519PublicKey);
      } catch (IllegalArgumentException e) {
        problems.add("ed25519-public-key", e.getMessage());
      }
    }
  }
}

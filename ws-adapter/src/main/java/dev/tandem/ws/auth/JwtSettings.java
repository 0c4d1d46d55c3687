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
 * @param numberClaim the claim that holds the user's own number (a DID); empty: none is read
 * @param nameClaim the claim that holds the user's display name; empty: none is read
 */
public record JwtSettings(
    String hs256Secret,
    String ed25519PublicKey,
    String issuer,
    String audience,
    @DurationRange(minMillis = 0, maxMillis = 300_000) Duration clockSkew,
    String numberClaim,
    String nameClaim)
    implements SelfChecking {

  public static JwtSettings defaults() {
    return new JwtSettings("", "", "", "", Duration.ofSeconds(30), "phone_number", "name");
  }

  /** Reading the OpenID Connect claims {@code phone_number} and {@code name}. */
  public JwtSettings(
      String hs256Secret,
      String ed25519PublicKey,
      String issuer,
      String audience,
      Duration clockSkew) {
    this(hs256Secret, ed25519PublicKey, issuer, audience, clockSkew, "phone_number", "name");
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

package dev.tandem.core.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited credentials derived from a shared secret (draft-uberti-behave-turn-rest §2.2): the
 * user name is {@code <expiry epoch seconds>:<user>}, the password base64(HMAC(secret, user name)).
 * The server that checks them recomputes the password and refuses an expired user name, so both
 * ends share nothing but the secret. coturn's {@code use-auth-secret} (TURN credentials, SHA-1) and
 * Kamailio's {@code auth_ephemeral} (upstream registrations; {@code username_format} 1, its {@code
 * sha_algorithm} 0-3 being {@link Algorithm}) check exactly these.
 */
public final class EphemeralCredentials {
  private EphemeralCredentials() {}

  /** The HMAC's hash, in the order of Kamailio's {@code sha_algorithm} values 0-3. */
  public enum Algorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA384("HmacSHA384"),
    SHA512("HmacSHA512");

    private final String jca;

    Algorithm(String jca) {
      this.jca = jca;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A user name and the password that goes with it. */
  public record Pair(String username, String password) {
    public Pair {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Pair[" + username + ", password=***]";
    }
  }

  /** Credentials of {@code user} valid until {@code expiry}. */
  public static Pair of(Algorithm algorithm, String secret, String user, Instant expiry) {
    String username = username(expiry, user);
    return new Pair(username, password(algorithm, secret, username));
  }

  public static String username(Instant expiry, String user) {
    return expiry.getEpochSecond() + ":" + user;
  }

  public static String password(Algorithm algorithm, String secret, String username) {
    try {
      Mac mac = Mac.getInstance(algorithm.jca);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm.jca));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm.jca + " is part of every JDK", e);
    }
  }
}

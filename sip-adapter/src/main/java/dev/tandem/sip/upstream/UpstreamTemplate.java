package dev.tandem.sip.upstream;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.credentials.EphemeralCredentials;
import dev.tandem.core.sip.Destination;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How every signed-in browser user without an {@code upstream.accounts} entry of its own — JWT
 * users included — is registered upstream: one rule for all, so that a user online on any node can
 * be reached through the registrar the nodes share.
 *
 * @param destination the {@code routing.destinations} entry of the registrar
 * @param username the address of record's user, {@code {user}} standing for the browser user
 * @param domain the address of record's domain; the destination's domain (else its host) when
 *     absent
 * @param credentials {@code ephemeral}: digest credentials derived per user and time from {@code
 *     secret} (Kamailio's {@code auth_ephemeral}); {@code none}: the registrar trusts the nodes by
 *     their address and challenges nobody
 * @param secret the secret shared with the registrar (for {@code ephemeral})
 * @param algorithm the HMAC's hash: sha1 (auth_ephemeral's default), sha256, sha384, sha512
 * @param validity how long each derived credential is valid
 * @param expires the registration lifetime asked for: short, so that a node that died leaves no
 *     binding for long
 */
public record UpstreamTemplate(
    @NotBlank String destination,
    @NotBlank String username,
    Optional<String> domain,
    Credentials credentials,
    Optional<String> secret,
    EphemeralCredentials.Algorithm algorithm,
    @DurationRange(minMillis = 60_000, maxMillis = 7 * 86_400_000L) Duration validity,
    @DurationRange(minMillis = 10_000, maxMillis = 86_400_000) Duration expires)
    implements SelfChecking {
  private static final String USER = "{user}";

  /** How the nodes prove who they register. */
  public enum Credentials {
    EPHEMERAL,
    NONE
  }

  public static UpstreamTemplate defaults() {
    return new UpstreamTemplate(
        "",
        USER,
        Optional.empty(),
        Credentials.EPHEMERAL,
        Optional.empty(),
        EphemeralCredentials.Algorithm.SHA1,
        Duration.ofHours(12),
        Duration.ofMinutes(2));
  }

  @Override
  public void check(Problems problems) {
    if (!username.contains(USER)) {
      problems.add("username", "must contain " + USER + " (each user needs its own address)");
    }
    if (credentials == Credentials.EPHEMERAL && secret.filter(s -> !s.isBlank()).isEmpty()) {
      problems.add("secret", "is needed with credentials: ephemeral");
    }
    if (credentials == Credentials.NONE && secret.isPresent()) {
      problems.add("secret", "is only used with credentials: ephemeral");
    }
  }

  /** The identity of {@code user}: its address of record and, per challenge, fresh credentials. */
  UpstreamIdentity identityOf(String user, Destination registrar, Clock clock) {
    String name = username.replace(USER, user);
    String aor = "sip:" + name + "@" + domain.or(registrar::domain).orElse(registrar.host());
    return new UpstreamIdentity(
        aor,
        expires,
        () -> {
          if (credentials == Credentials.NONE) {
            return Optional.empty();
          }
          EphemeralCredentials.Pair pair =
              EphemeralCredentials.of(
                  algorithm, secret.orElseThrow(), name, clock.instant().plus(validity));
          return Optional.of(new Destination.DigestCredentials(pair.username(), pair.password()));
        });
  }

  @Override
  public String toString() {
    return "UpstreamTemplate["
        + username
        + " via "
        + destination
        + ", credentials="
        + credentials.name().toLowerCase(java.util.Locale.ROOT)
        + ", secret=***]";
  }
}

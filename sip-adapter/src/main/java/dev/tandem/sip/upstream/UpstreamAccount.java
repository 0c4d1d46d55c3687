package dev.tandem.sip.upstream;

import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.sip.Destination;
import java.time.Duration;
import java.util.Optional;

/**
 * A browser user's account on a PBX: where to register (a routing destination), as whom, and for
 * how long. The password stays on the server; the browser never sees it.
 *
 * @param destination the name of a {@code routing.destinations} entry: the PBX's address
 * @param username the SIP user of the address of record ({@code sip:username@domain})
 * @param authUsername the digest user name when it differs from {@code username}
 * @param domain the address of record's domain; the destination's domain (else its host) when
 *     absent
 * @param expires the registration lifetime asked for (10 minutes when absent); refreshed before it
 *     runs out
 */
public record UpstreamAccount(
    @NotBlank String destination,
    @NotBlank String username,
    @NotBlank String password,
    Optional<String> authUsername,
    Optional<String> domain,
    Optional<Duration> expires)
    implements SelfChecking {
  static final Duration DEFAULT_EXPIRES = Duration.ofMinutes(10);

  @Override
  public void check(Problems problems) {
    expires
        .filter(e -> e.compareTo(Duration.ofSeconds(10)) < 0 || e.compareTo(Duration.ofDays(1)) > 0)
        .ifPresent(e -> problems.add("expires", "must be between 10s and 1d"));
  }

  /**
   * Who the account is at {@code destination}: {@code sip:username@domain} (the destination's
   * domain, else its host, by default), registered for {@code expires} (10 minutes when absent),
   * answering challenges with its own user name and password.
   */
  UpstreamIdentity identity(Destination destination) {
    Optional<Destination.DigestCredentials> credentials =
        Optional.of(new Destination.DigestCredentials(authUsername.orElse(username), password));
    return new UpstreamIdentity(
        "sip:" + username + "@" + domain.or(destination::domain).orElse(destination.host()),
        expires.orElse(DEFAULT_EXPIRES),
        () -> credentials);
  }

  @Override
  public String toString() {
    return "UpstreamAccount[" + username + " via " + destination + ", password=***]";
  }
}

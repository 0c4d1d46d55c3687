package dev.tandem.sip.upstream;

import dev.tandem.core.config.DurationRange;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code upstream} section: browser users registered to a PBX while they are online.
 *
 * @param accounts browser user → its PBX account
 * @param template how every other signed-in user is registered, if at all
 * @param retryInterval after a failed registration (wrong password, PBX down), the next attempt
 */
public record UpstreamSettings(
    Map<String, UpstreamAccount> accounts,
    Optional<UpstreamTemplate> template,
    @DurationRange(minMillis = 1_000, maxMillis = 3_600_000) Duration retryInterval) {

  public UpstreamSettings {
    accounts = Map.copyOf(accounts);
  }

  public static UpstreamSettings defaults() {
    return new UpstreamSettings(Map.of(), Optional.empty(), Duration.ofSeconds(60));
  }
}

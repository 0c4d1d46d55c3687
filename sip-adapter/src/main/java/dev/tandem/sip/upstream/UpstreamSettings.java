package dev.tandem.sip.upstream;

import dev.tandem.core.config.DurationRange;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code upstream} section: browser users registered to a PBX while they are online.
 *
 * @param accounts browser user → its PBX account
 * @param retryInterval after a failed registration (wrong password, PBX down), the next attempt
 */
public record UpstreamSettings(
    Map<String, UpstreamAccount> accounts,
    @DurationRange(minMillis = 1_000, maxMillis = 3_600_000) Duration retryInterval) {

  public UpstreamSettings {
    accounts = Map.copyOf(accounts);
  }

  public static UpstreamSettings defaults() {
    return new UpstreamSettings(Map.of(), Duration.ofSeconds(60));
  }
}

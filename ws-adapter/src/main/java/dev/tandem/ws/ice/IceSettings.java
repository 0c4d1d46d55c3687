package dev.tandem.ws.ice;

import dev.tandem.core.config.DurationRange;
import java.time.Duration;
import java.util.List;

/**
 * The {@code ice} section.
 *
 * @param servers the STUN/TURN servers handed to browsers, in order
 * @param credentialTtl how long generated TURN credentials stay valid
 */
public record IceSettings(
    List<IceServerSettings> servers,
    @DurationRange(minMillis = 60_000, maxMillis = 604_800_000) Duration credentialTtl) {

  public IceSettings {
    servers = List.copyOf(servers);
  }

  public static IceSettings defaults() {
    return new IceSettings(List.of(), Duration.ofHours(1));
  }
}

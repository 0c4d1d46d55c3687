package dev.tandem.ws;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import java.time.Duration;

/**
 * The {@code http} section of the configuration: where browsers reach the bridge.
 *
 * @param host the address to listen on
 * @param port the TCP port for HTTP and WebSocket
 * @param idleTimeout how long an idle HTTP connection stays open
 */
public record HttpSettings(
    @NotBlank String host,
    @Range(min = 1, max = 65535) int port,
    @DurationRange(minMillis = 1_000, maxMillis = 3_600_000) Duration idleTimeout) {

  /** Listens on 127.0.0.1:8080. */
  public static HttpSettings defaults() {
    return new HttpSettings("127.0.0.1", 8080, Duration.ofSeconds(60));
  }
}

package dev.tandem.ws.socket;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.time.Duration;
import java.util.List;

/**
 * The {@code ws} section of the configuration: the browser WebSocket's limits.
 *
 * @param maxMessageSize the largest frame accepted, in bytes; a larger one is answered with error
 *     4013, one more than four times larger closes the connection with 1009
 * @param messagesPerSecond the sustained rate of frames a connection may send
 * @param burst how many frames a connection may send at once above that rate
 * @param maxViolations how many limit violations (rate, size, failed logins) a connection may
 *     commit before it is closed with 1008
 * @param authTimeout how long a new connection has to authenticate before it is closed with 4401
 * @param idleTimeout how long a connection may stay silent (the SDK pings every 20 s)
 * @param allowedOrigins origins allowed besides the bridge's own ({@code https://app.example}), or
 *     {@code *} for any
 */
public record WsSettings(
    @Range(min = 1024, max = 16_777_216) int maxMessageSize,
    @Range(min = 1, max = 10_000) int messagesPerSecond,
    @Range(min = 1, max = 10_000) int burst,
    @Range(min = 1, max = 1000) int maxViolations,
    @DurationRange(minMillis = 1_000, maxMillis = 300_000) Duration authTimeout,
    @DurationRange(minMillis = 5_000, maxMillis = 3_600_000) Duration idleTimeout,
    List<String> allowedOrigins)
    implements SelfChecking {

  public WsSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public static WsSettings defaults() {
    return new WsSettings(
        65_536, 20, 40, 10, Duration.ofSeconds(10), Duration.ofSeconds(60), List.of());
  }

  @Override
  public void check(Problems problems) {
    for (int i = 0; i < allowedOrigins.size(); i++) {
      String origin = allowedOrigins.get(i);
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        problems.add(
            "allowed-origins[" + i + "]",
            "must be * or scheme://host[:port], not '" + origin + "'");
      }
    }
  }
}

package dev.tandem.app.admin;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.time.Duration;

/**
 * The {@code admin} section: the operator's HTTP API (docs/admin.md) on a listener of its own, off
 * by default.
 *
 * @param enabled whether the admin listener runs
 * @param host the address it listens on (keep it on loopback or a management network)
 * @param port its TCP port
 * @param token the bearer token every request must carry; required when enabled
 * @param drainDeadline how long a drain waits for calls to end when the request names no deadline;
 *     what is left then ends with {@code server-shutdown}
 * @param drainRetryAfter the {@code Retry-After} of the 503 an INVITE gets while the bridge drains
 */
public record AdminSettings(
    boolean enabled,
    @NotBlank String host,
    @Range(min = 1, max = 65535) int port,
    String token,
    @DurationRange(minMillis = 1_000, maxMillis = 86_400_000) Duration drainDeadline,
    @DurationRange(minMillis = 1_000, maxMillis = 3_600_000) Duration drainRetryAfter)
    implements SelfChecking {

  /** Tokens shorter than this draw a {@code config check} warning. */
  public static final int MIN_TOKEN_LENGTH = 32;

  @Override
  public void check(Problems problems) {
    if (enabled && token.isBlank()) {
      problems.add(
          "token",
          "required when the admin API is enabled: a random secret of "
              + MIN_TOKEN_LENGTH
              + "+ characters (openssl rand -hex 32)");
    }
  }

  /** Off; when turned on: 127.0.0.1:8081, drains for up to 10 minutes. */
  public static AdminSettings defaults() {
    return new AdminSettings(
        false, "127.0.0.1", 8081, "", Duration.ofMinutes(10), Duration.ofSeconds(30));
  }
}

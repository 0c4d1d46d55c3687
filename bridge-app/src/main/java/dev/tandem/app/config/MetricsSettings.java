package dev.tandem.app.config;

import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;

/**
 * The {@code metrics} section: the Prometheus endpoint, on a listener of its own (docs/metrics.md).
 * Off by default; when on, it listens on loopback unless told otherwise.
 *
 * @param enabled whether the listener runs
 * @param host the address it listens on
 * @param port its TCP port
 * @param path where the metrics are served (the text exposition format)
 */
public record MetricsSettings(
    boolean enabled,
    @NotBlank String host,
    @Range(min = 1, max = 65535) int port,
    @NotBlank String path)
    implements SelfChecking {

  /** Longest path accepted (it is matched as a prefix by the listener). */
  static final int MAX_PATH = 200;

  /** Off; when turned on, 127.0.0.1:9464 (Prometheus's registered exporter port), /metrics. */
  public static MetricsSettings defaults() {
    return new MetricsSettings(false, "127.0.0.1", 9464, "/metrics");
  }

  @Override
  public void check(Problems problems) {
    if (!path.startsWith("/") || path.length() > MAX_PATH || path.chars().anyMatch(c -> c <= ' ')) {
      problems.add(
          "path", "must start with / and be at most " + MAX_PATH + " characters without spaces");
    } else if (path.equals("/")) {
      problems.add("path", "must not be / (the listener's index page)");
    }
  }
}

package dev.tandem.app;

import dev.tandem.app.admin.AdminViews;
import dev.tandem.app.config.ConfigDiff;
import dev.tandem.app.config.ConfigException;
import dev.tandem.app.config.ConfigProblem;
import dev.tandem.app.config.ConfigSource;
import dev.tandem.app.config.ConfigWarning;
import dev.tandem.app.config.ConfigWarnings;
import dev.tandem.app.config.TandemConfig;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration the bridge was started with (same file, variables and {@code --set}),
 * checks it as {@code tandem run} does, and hands what may change live to the running parts. An
 * invalid configuration is refused with every problem and nothing changes. Keys that cannot change
 * while running ({@link #LIVE} says which can) keep their old values and are reported as needing a
 * restart. Calls in progress keep what they started with; new calls use the new rules.
 *
 * <p>Thread-safe: one reload at a time (the admin API and SIGHUP may ask at once).
 */
public final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  /**
   * The keys that change live, as prefixes: routing (dial plan, destinations, permissions, inbound
   * table and trust) but not its keepalives; users and token rules but not the throttle; session
   * and call limits; the WebSocket's rate, violation and authentication limits; registrar and
   * upstream accounts, and whether registrar phones get video. Everything else — listeners, ports,
   * TLS, the media backend, the registrar's other keys, the frame size, idle timeout and allowed
   * origins Jetty took at start — needs a restart.
   */
  static final List<String> LIVE =
      List.of(
          "routing",
          "auth",
          "sessions",
          "calls",
          "ws.messages-per-second",
          "ws.burst",
          "ws.max-violations",
          "ws.auth-timeout",
          "registrar.accounts",
          "registrar.video",
          "upstream.accounts");

  static final List<String> NOT_LIVE = List.of("routing.keepalives", "auth.throttle");

  private final ConfigSource source;
  private final Consumer<ConfigDiff> apply;
  private TandemConfig running;

  /**
   * @param apply gives the running parts the new configuration ({@link ConfigDiff#result()}, with
   *     the keys that need a restart at their old values)
   */
  public ConfigReload(TandemConfig running, ConfigSource source, Consumer<ConfigDiff> apply) {
    this.running = running;
    this.source = source;
    this.apply = apply;
  }

  /** Whether {@code key} may take a new value while the bridge runs. */
  static boolean isLive(String key) {
    return LIVE.stream().anyMatch(p -> covers(p, key))
        && NOT_LIVE.stream().noneMatch(p -> covers(p, key));
  }

  private static boolean covers(String prefix, String key) {
    return key.equals(prefix) || key.startsWith(prefix + ".") || key.startsWith(prefix + "[");
  }

  /** Reads, checks and applies; what happened, for the admin API and the log. */
  public synchronized AdminViews.ReloadView reload() {
    TandemConfig next;
    try {
      next = source.load();
      List<ConfigProblem> refused =
          ConfigWarnings.of(next).stream()
              .filter(ConfigWarning::refused)
              .map(ConfigWarning::asProblem)
              .toList();
      if (!refused.isEmpty()) {
        throw new ConfigException(refused);
      }
    } catch (ConfigException e) {
      log.warn("configuration reload refused, nothing changed: {}", e.getMessage());
      return new AdminViews.ReloadView(
          "refused",
          List.of(),
          List.of(),
          e.problems().stream().map(p -> new AdminViews.Problem(p.path(), p.message())).toList());
    }
    ConfigDiff diff = ConfigDiff.of(running, next, ConfigReload::isLive);
    if (!diff.kept().isEmpty()) {
      log.warn("configuration reload: {} need a restart; their old values stay", diff.kept());
    }
    if (diff.applied().isEmpty()) {
      log.info("configuration reload: nothing to change live");
    } else {
      apply.accept(diff);
      running = diff.result();
      log.info("configuration reloaded: {} in force for new sessions and calls", diff.applied());
    }
    ConfigWarnings.of(next).forEach(warning -> log.warn("{}", warning));
    return new AdminViews.ReloadView(
        diff.applied().isEmpty() ? "unchanged" : "applied", diff.applied(), diff.kept(), List.of());
  }
}

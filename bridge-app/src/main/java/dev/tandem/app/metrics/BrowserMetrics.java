package dev.tandem.app.metrics;

import dev.tandem.core.call.Switchboard;
import dev.tandem.ws.auth.LoginCounters;
import dev.tandem.ws.socket.BrowserCounters;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The browser side: sessions held now (asked of the switchboard's loop at scrape time), refused and
 * throttled logins, and what the WebSocket limits refused.
 */
final class BrowserMetrics {
  private BrowserMetrics() {}

  static void register(
      PrometheusRegistry registry,
      Switchboard switchboard,
      LoginCounters logins,
      BrowserCounters browsers) {
    GaugeWithCallback.builder()
        .name("tandem_browser_sessions")
        .help(
            "Browser sessions held: connected, or detached (connection lost, waiting for a"
                + " resume within the grace period)")
        .labelNames("state")
        .callback(
            g -> {
              try {
                // both asked of the loop at once: one wait of at most a second
                long[] held =
                    switchboard
                        .counts()
                        .thenCombine(
                            switchboard.detached(), (c, d) -> new long[] {c.sessions() - d, d})
                        .get(1, TimeUnit.SECONDS);
                g.call(held[0], "connected");
                g.call(held[1], "detached");
              } catch (Exception busy) {
                // the loop did not answer in time (or is stopping): no sample this scrape
                if (busy instanceof InterruptedException) {
                  Thread.currentThread().interrupt();
                }
              }
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_login_failures_total")
        .help("Refused logins (WebSocket and /api/ice-servers), by credentials (password, token)")
        .labelNames("credentials")
        .callback(
            c -> {
              c.call(logins.passwordsRefused(), "password");
              c.call(logins.tokensRefused(), "token");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_logins_throttled_total")
        .help("Password logins refused unread while their user or address was throttled")
        .callback(c -> c.call(logins.throttled()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_browser_messages_refused_total")
        .help(
            "Browser WebSocket messages refused by a limit: rate_limited (ws.messages-per-second),"
                + " too_large (ws.max-message-size)")
        .labelNames("reason")
        .callback(
            c -> {
              c.call(browsers.rateLimitedMessages(), "rate_limited");
              c.call(browsers.tooLargeMessages(), "too_large");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_browser_connections_closed_for_violations_total")
        .help("Browser connections closed after more than ws.max-violations refused messages")
        .callback(c -> c.call(browsers.connectionsClosedForViolations()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_browser_origins_refused_total")
        .help("WebSocket upgrades refused: Origin not in ws.allowed-origins")
        .callback(c -> c.call(browsers.originsRefused()))
        .register(registry);
  }
}

package dev.tandem.app.metrics;

import dev.tandem.core.registrar.Registrar;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.sip.upstream.UpstreamState;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Registrations now: the phones registered at the bridge's own registrar (standalone mode) and the
 * browser users' registrations at their PBX (upstream mode) by state, read at scrape time.
 */
final class RegistrationMetrics {
  private RegistrationMetrics() {}

  static void register(
      PrometheusRegistry registry, Registrar registrar, UpstreamRegistrations upstream) {
    GaugeWithCallback.builder()
        .name("tandem_registrar_bindings")
        .help("Live contact bindings at the bridge's registrar (standalone mode), all accounts")
        .callback(g -> g.call(registrar.bindingCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tandem_upstream_registrations")
        .help(
            "Browser users' registrations at their PBX (upstream mode), by state: offline,"
                + " registering, registered, failed")
        .labelNames("state")
        .callback(
            g -> {
              try {
                Map<UpstreamState, Integer> states = upstream.states().get(1, TimeUnit.SECONDS);
                states.forEach((state, n) -> g.call(n, state.name().toLowerCase(Locale.ROOT)));
              } catch (Exception busy) {
                // the SIP sending thread did not answer in time (or is stopping): no sample
                if (busy instanceof InterruptedException) {
                  Thread.currentThread().interrupt();
                }
              }
            })
        .register(registry);
  }
}

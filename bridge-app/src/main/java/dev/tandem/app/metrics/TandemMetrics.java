package dev.tandem.app.metrics;

import dev.tandem.core.call.Switchboard;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.media.relay.EmbeddedRelay;
import dev.tandem.media.rtpengine.NgObserver;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.sip.wire.SipTraffic;
import dev.tandem.ws.auth.LoginCounters;
import dev.tandem.ws.socket.BrowserCounters;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every metric of one bridge, in a registry of its own: the bridge hands each part's counters or
 * observer to it as it builds the part, and {@link MetricsEndpoint} serves the registry. JVM
 * metrics (memory, GC, threads, classes, process) keep the Prometheus client's standard names
 * ({@code jvm_*}, {@code process_*}) that existing dashboards know.
 */
public final class TandemMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final SipMessageMetrics sip;
  private final CallMetrics calls;
  private RtpengineMetrics rtpengine;

  /**
   * @param version the running version ({@code tandem_build_info{version}})
   */
  public TandemMetrics(String version) {
    JvmMetrics.builder().register(registry);
    Info.builder()
        .name("tandem_build_info")
        .help("The running Tandem build; always 1")
        .labelNames("version")
        .register(registry)
        .setLabelValues(version);
    sip = new SipMessageMetrics(registry);
    calls = new CallMetrics(registry);
  }

  /** Counts the SIP stack's messages. */
  public SipTraffic sipTraffic() {
    return sip;
  }

  /** Counts calls; listens on the switchboard. */
  public CallEventListener calls() {
    return calls;
  }

  /** Times and counts rtpengine's NG commands (registered on first use: rtpengine backend only). */
  public synchronized NgObserver rtpengine() {
    if (rtpengine == null) {
      rtpengine = new RtpengineMetrics(registry);
    }
    return rtpengine;
  }

  /** The embedded relay's packets, bytes, drops and failures. */
  public void relay(EmbeddedRelay relay) {
    RelayMetrics.register(registry, relay);
  }

  /** Sessions, logins and the WebSocket limits. */
  public void browser(Switchboard switchboard, LoginCounters logins, BrowserCounters browsers) {
    BrowserMetrics.register(registry, switchboard, logins, browsers);
  }

  /** Registrar bindings and upstream registrations. */
  public void registrations(Registrar registrar, UpstreamRegistrations upstream) {
    RegistrationMetrics.register(registry, registrar, upstream);
  }

  public PrometheusRegistry registry() {
    return registry;
  }
}

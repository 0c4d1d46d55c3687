package dev.tandem.app.metrics;

import dev.tandem.media.rtpengine.NgException;
import dev.tandem.media.rtpengine.NgObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * rtpengine's NG commands: how long each answered command took (first send to answer,
 * retransmissions included) and how many failed, by command and how (timeout, error, protocol, io).
 * The commands are Tandem's own ({@code offer}, {@code answer}, {@code delete}, ...): bounded.
 */
final class RtpengineMetrics implements NgObserver {
  private final Histogram latency;
  private final Counter failures;

  RtpengineMetrics(PrometheusRegistry registry) {
    latency =
        Histogram.builder()
            .name("tandem_rtpengine_ng_request_seconds")
            .help("Time from sending an NG command to rtpengine's successful answer, by command")
            .labelNames("command")
            .classicOnly()
            .classicUpperBounds(
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2)
            .withoutExemplars()
            .register(registry);
    failures =
        Counter.builder()
            .name("tandem_rtpengine_ng_failures_total")
            .help("NG commands that failed, by command and kind (timeout, error, protocol, io)")
            .labelNames("command", "kind")
            .register(registry);
  }

  @Override
  public void answered(String command, long elapsedNanos) {
    latency.labelValues(command).observe(elapsedNanos / 1e9);
  }

  @Override
  public void failed(String command, NgException.Kind kind) {
    failures.labelValues(command, kind.name().toLowerCase(Locale.ROOT)).inc();
  }
}

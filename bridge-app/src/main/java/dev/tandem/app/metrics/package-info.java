/**
 * Prometheus metrics: the only package that knows the metrics library (the Prometheus Java client
 * 1.x; docs/metrics.md says why). The other modules keep plain counters or small observer
 * interfaces (sip-adapter's {@code SipTraffic}, media-relay's {@code NgObserver}, {@code
 * RelayTotals} and {@code RelayFailures}, ws-adapter's {@code LoginCounters} and {@code
 * BrowserCounters}, core's call events); the classes here bind each to its metrics, and {@link
 * dev.tandem.app.metrics.MetricsEndpoint} serves them on a listener of their own.
 *
 * <p>Hot paths stay cheap: the relay's counters are read only when Prometheus scrapes; the
 * per-event bindings (SIP messages, call events, NG answers) update pre-resolved data points or do
 * one map lookup, with no lock of their own.
 */
package dev.tandem.app.metrics;

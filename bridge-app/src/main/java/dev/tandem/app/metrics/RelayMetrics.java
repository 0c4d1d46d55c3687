package dev.tandem.app.metrics;

import dev.tandem.media.relay.EmbeddedRelay;
import dev.tandem.media.relay.RelayFailures;
import dev.tandem.media.relay.RelayTotals;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The embedded relay's running totals ({@link RelayTotals}) and failures ({@link RelayFailures}),
 * read when Prometheus scrapes: the packet path only bumps its own counters, as it always did.
 */
final class RelayMetrics {
  private RelayMetrics() {}

  static void register(PrometheusRegistry registry, EmbeddedRelay relay) {
    CounterWithCallback.builder()
        .name("tandem_relay_packets_total")
        .help("Media packets (RTP and RTCP) the embedded relay received and forwarded, by sender")
        .labelNames("from")
        .callback(
            c -> {
              RelayTotals t = relay.totals();
              c.call(t.packetsFromBrowser(), "browser");
              c.call(t.packetsFromSip(), "sip");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_bytes_total")
        .help("Bytes (UDP payload) of those packets, by sender")
        .labelNames("from")
        .callback(
            c -> {
              RelayTotals t = relay.totals();
              c.call(t.bytesFromBrowser(), "browser");
              c.call(t.bytesFromSip(), "sip");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_dropped_packets_total")
        .help(
            "Packets the embedded relay dropped: garbage, failed authentication, replays,"
                + " unlatched sources, nowhere to send yet")
        .callback(c -> c.call(relay.totals().dropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_srtp_auth_failures_total")
        .help("SIP-side SRTP/SRTCP packets that failed SDES authentication (or were replays)")
        .callback(c -> c.call(relay.totals().sipAuthFailures()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_video_packets_total")
        .help("Video RTP packets the embedded relay received and forwarded, by sender")
        .labelNames("from")
        .callback(
            c -> {
              RelayTotals t = relay.totals();
              c.call(t.videoPacketsFromBrowser(), "browser");
              c.call(t.videoPacketsFromSip(), "sip");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_unknown_stream_drops_total")
        .help(
            "Browser RTP packets of no negotiated stream (a payload type in neither the audio's"
                + " nor the video's map), dropped; also in tandem_relay_dropped_packets_total")
        .callback(c -> c.call(relay.totals().unknownStreamDrops()))
        .register(registry);
    RelayFailures failures = relay.failures();
    CounterWithCallback.builder()
        .name("tandem_relay_dtls_handshake_failures_total")
        .help(
            "DTLS handshakes with browsers that failed (failed) or never started because every"
                + " handshake thread and queue place was taken (refused)")
        .labelNames("kind")
        .callback(
            c -> {
              c.call(failures.dtlsHandshakesFailed(), "failed");
              c.call(failures.dtlsHandshakesRefused(), "refused");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("tandem_relay_ice_consent_failures_total")
        .help("Calls whose browser stopped sending ICE consent checks (RFC 7675)")
        .callback(c -> c.call(failures.iceConsentsExpired()))
        .register(registry);
  }
}

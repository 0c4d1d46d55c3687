package dev.tandem.app.metrics;

import dev.tandem.sip.wire.SipTraffic;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * SIP messages sent and received, as the stack reports them ({@link SipTraffic}): requests by
 * method, responses by method and status code, retransmissions included. Called on JAIN-SIP's
 * threads; a request costs one map read of a data point resolved up front.
 */
final class SipMessageMetrics implements SipTraffic {
  private final Counter responsesSent;
  private final Counter responsesReceived;
  private final Map<String, CounterDataPoint> requestsSent = new HashMap<>();
  private final Map<String, CounterDataPoint> requestsReceived = new HashMap<>();

  SipMessageMetrics(PrometheusRegistry registry) {
    Counter sent =
        Counter.builder()
            .name("tandem_sip_requests_sent_total")
            .help("SIP requests sent, retransmissions included, by method")
            .labelNames("method")
            .register(registry);
    Counter received =
        Counter.builder()
            .name("tandem_sip_requests_received_total")
            .help("SIP requests received (parsed), retransmissions included, by method")
            .labelNames("method")
            .register(registry);
    for (String method : Labels.SIP_METHODS) {
      requestsSent.put(method, sent.labelValues(method));
      requestsReceived.put(method, received.labelValues(method));
    }
    requestsSent.put(Labels.OTHER, sent.labelValues(Labels.OTHER));
    requestsReceived.put(Labels.OTHER, received.labelValues(Labels.OTHER));
    responsesSent =
        Counter.builder()
            .name("tandem_sip_responses_sent_total")
            .help("SIP responses sent, retransmissions included, by request method and status code")
            .labelNames("method", "code")
            .register(registry);
    responsesReceived =
        Counter.builder()
            .name("tandem_sip_responses_received_total")
            .help("SIP responses received, retransmissions included, by request method and code")
            .labelNames("method", "code")
            .register(registry);
  }

  @Override
  public void request(String method, boolean sent) {
    (sent ? requestsSent : requestsReceived).get(Labels.sipMethod(method)).inc();
  }

  @Override
  public void response(String method, int status, boolean sent) {
    (sent ? responsesSent : responsesReceived)
        .labelValues(Labels.sipMethod(method), Labels.sipCode(status))
        .inc();
  }
}

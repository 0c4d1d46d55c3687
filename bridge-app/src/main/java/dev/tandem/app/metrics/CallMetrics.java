package dev.tandem.app.metrics;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Calls, from core's call events ({@link CallEvent}): started and ended by direction and outcome,
 * now in progress by direction and state, the setup time (invite to answer), and what the RTCP
 * reception reports of each call's media said at its end (packets lost, jitter).
 *
 * <p>Called on the signaling loop (the listener contract): the map of calls in progress is touched
 * by that thread only; the metrics themselves are safe to read from the scrape thread.
 */
final class CallMetrics implements CallEventListener {
  /**
   * RTP clock rate used to turn jitter into seconds: every codec Tandem passes toward SIP (PCMU,
   * PCMA, G.722) runs an 8 kHz RTP clock; opus (48 kHz, only with opus-toward-sip) reads 6× high.
   */
  static final double RTP_CLOCK_HZ = 8000;

  private enum State {
    SETUP,
    RINGING,
    ACTIVE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Counter started;
  private final Counter ended;
  private final Gauge now;
  private final Histogram setup;
  private final Counter lost;
  private final Histogram jitter;
  private final Map<CallId, State> inProgress = new HashMap<>();

  CallMetrics(PrometheusRegistry registry) {
    started =
        Counter.builder()
            .name("tandem_calls_started_total")
            .help("Calls placed (a browser's invite accepted, a SIP INVITE admitted), by direction")
            .labelNames("direction")
            .register(registry);
    ended =
        Counter.builder()
            .name("tandem_calls_ended_total")
            .help("Calls ended, by direction, outcome (answered or not) and end reason")
            .labelNames("direction", "outcome", "reason")
            .register(registry);
    now =
        Gauge.builder()
            .name("tandem_calls")
            .help("Calls in progress, by direction and state (setup, ringing, active)")
            .labelNames("direction", "state")
            .register(registry);
    setup =
        Histogram.builder()
            .name("tandem_call_setup_seconds")
            .help("Time from the invite to the answer of answered calls, by direction")
            .labelNames("direction")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120)
            .withoutExemplars()
            .register(registry);
    lost =
        Counter.builder()
            .name("tandem_media_rtcp_packets_lost_total")
            .help(
                "Packets lost as the receiving side's last RTCP report of each ended call said, by"
                    + " stream")
            .labelNames("stream")
            .register(registry);
    jitter =
        Histogram.builder()
            .name("tandem_media_rtcp_jitter_seconds")
            .help(
                "Interarrival jitter in the receiving side's last RTCP report of each ended call,"
                    + " by stream")
            .labelNames("stream")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32)
            .withoutExemplars()
            .register(registry);
    for (CallRecord.Direction direction : CallRecord.Direction.values()) {
      started.labelValues(direction.wireName());
      for (State state : State.values()) {
        now.labelValues(direction.wireName(), state.label());
      }
    }
  }

  @Override
  public void on(CallEvent event) {
    CallRecord record = event.record();
    String direction = record.direction().wireName();
    if (event instanceof CallEvent.Started) {
      started.labelValues(direction).inc();
      move(record, State.SETUP);
    } else if (event instanceof CallEvent.Ringing) {
      move(record, State.RINGING);
    } else if (event instanceof CallEvent.Answered) {
      move(record, State.ACTIVE);
      record.setupTime().ifPresent(t -> setup.labelValues(direction).observe(t.toNanos() / 1e9));
    } else if (event instanceof CallEvent.Ended) {
      State was = inProgress.remove(record.callId());
      if (was != null) {
        now.labelValues(direction, was.label()).dec();
      }
      ended
          .labelValues(
              direction,
              record.answered().isPresent() ? "answered" : "unanswered",
              Labels.endReason(record.endReason().orElse(EndReason.FAILED)))
          .inc();
      record.media().ifPresent(this::media);
    }
  }

  private void move(CallRecord record, State state) {
    String direction = record.direction().wireName();
    State was = inProgress.put(record.callId(), state);
    if (was != null) {
      now.labelValues(direction, was.label()).dec();
    }
    now.labelValues(direction, state.label()).inc();
  }

  private void media(MediaStats stats) {
    flow("browser-to-sip", stats.fromBrowser());
    flow("sip-to-browser", stats.fromSip());
  }

  private void flow(String stream, MediaStats.Flow flow) {
    flow.packetsLost().ifPresent(n -> lost.labelValues(stream).inc(Math.max(0, n)));
    flow.jitter().ifPresent(j -> jitter.labelValues(stream).observe(j / RTP_CLOCK_HZ));
  }
}

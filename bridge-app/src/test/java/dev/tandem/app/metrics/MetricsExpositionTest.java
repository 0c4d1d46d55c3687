package dev.tandem.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.media.rtpengine.NgException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exposition, written by the client's text format writer and parsed back: names, types, labels
 * and values of what Tandem's parts report.
 */
class MetricsExpositionTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  private final TandemMetrics metrics = new TandemMetrics("1.2.3-test");

  /** One exposition, parsed: the type of each family and the value of each sample. */
  private record Scrape(Map<String, String> types, Map<String, Double> samples) {
    double value(String name, String... labels) {
      Map<String, String> wanted = new TreeMap<>();
      for (int i = 0; i < labels.length; i += 2) {
        wanted.put(labels[i], labels[i + 1]);
      }
      String key = name + wanted;
      assertThat(samples).as("samples").containsKey(key);
      return samples.get(key);
    }
  }

  private Scrape scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    Map<String, String> types = new HashMap<>();
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        types.put(parts[2], parts[3]);
      } else if (!line.startsWith("#") && !line.isBlank()) {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("a sample line: " + line).isTrue();
        Map<String, String> labels = new TreeMap<>();
        if (m.group(2) != null) {
          Matcher l = LABEL.matcher(m.group(2));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
      }
    }
    return new Scrape(types, samples);
  }

  private static CallRecord placed(String id, CallRecord.Direction direction) {
    return CallRecord.started(
        new CallId(id),
        Optional.of("sip-" + id),
        direction,
        "alice",
        "+15551234567",
        Optional.of("pbx"),
        T0);
  }

  @Test
  void callsAreCountedByDirectionStateAndOutcomeWithTheirSetupTime() throws Exception {
    CallRecord answered = placed("c1", CallRecord.Direction.OUTBOUND);
    CallRecord busy = placed("c2", CallRecord.Direction.INBOUND);
    var calls = metrics.calls();
    calls.on(new CallEvent.Started(answered));
    calls.on(new CallEvent.Started(busy));
    answered = answered.withRinging(T0.plusMillis(300));
    calls.on(new CallEvent.Ringing(answered));
    Scrape ringing = scrape();
    assertThat(ringing.types()).containsEntry("tandem_calls", "gauge");
    assertThat(ringing.value("tandem_calls", "direction", "outbound", "state", "ringing"))
        .isEqualTo(1);
    assertThat(ringing.value("tandem_calls", "direction", "outbound", "state", "setup")).isZero();
    assertThat(ringing.value("tandem_calls", "direction", "inbound", "state", "setup"))
        .isEqualTo(1);

    answered = answered.withAnswered(T0.plusMillis(1500)).withSipCode(200);
    calls.on(new CallEvent.Answered(answered));
    busy = busy.withEnd(T0.plusSeconds(1), EndReason.BUSY).withSipCode(486);
    calls.on(new CallEvent.Ended(busy));
    answered =
        answered
            .withEnd(T0.plusSeconds(30), EndReason.HANGUP)
            .withMedia(
                new MediaStats(
                    new MediaStats.Flow(1500, 258_000, OptionalLong.of(3), OptionalLong.of(80)),
                    new MediaStats.Flow(1490, 256_280, OptionalLong.of(0), OptionalLong.empty())));
    Scrape active = scrape();
    assertThat(active.value("tandem_calls", "direction", "outbound", "state", "active"))
        .isEqualTo(1);
    assertThat(active.value("tandem_calls", "direction", "inbound", "state", "setup")).isZero();
    calls.on(new CallEvent.Ended(answered));

    Scrape s = scrape();
    assertThat(s.types())
        .containsEntry("tandem_calls_started_total", "counter")
        .containsEntry("tandem_calls_ended_total", "counter")
        .containsEntry("tandem_call_setup_seconds", "histogram")
        .containsEntry("tandem_media_rtcp_packets_lost_total", "counter")
        .containsEntry("tandem_media_rtcp_jitter_seconds", "histogram");
    assertThat(s.value("tandem_calls_started_total", "direction", "outbound")).isEqualTo(1);
    assertThat(s.value("tandem_calls_started_total", "direction", "inbound")).isEqualTo(1);
    assertThat(s.value("tandem_calls_started_total", "direction", "sip-to-sip")).isZero();
    assertThat(
            s.value(
                "tandem_calls_ended_total",
                "direction",
                "outbound",
                "outcome",
                "answered",
                "reason",
                "hangup"))
        .isEqualTo(1);
    assertThat(
            s.value(
                "tandem_calls_ended_total",
                "direction",
                "inbound",
                "outcome",
                "unanswered",
                "reason",
                "busy"))
        .isEqualTo(1);
    assertThat(s.value("tandem_calls", "direction", "outbound", "state", "active")).isZero();
    // 1.5 s from invite to answer: in the 2 s bucket, not the 1 s one
    assertThat(s.value("tandem_call_setup_seconds_count", "direction", "outbound")).isEqualTo(1);
    assertThat(s.value("tandem_call_setup_seconds_sum", "direction", "outbound")).isEqualTo(1.5);
    assertThat(s.value("tandem_call_setup_seconds_bucket", "direction", "outbound", "le", "1.0"))
        .isZero();
    assertThat(s.value("tandem_call_setup_seconds_bucket", "direction", "outbound", "le", "2.0"))
        .isEqualTo(1);
    assertThat(s.samples()).doesNotContainKey("tandem_call_setup_seconds_count{direction=inbound}");
    assertThat(s.value("tandem_media_rtcp_packets_lost_total", "stream", "browser-to-sip"))
        .isEqualTo(3);
    // jitter 80 RTP units at 8 kHz: 10 ms
    assertThat(s.value("tandem_media_rtcp_jitter_seconds_sum", "stream", "browser-to-sip"))
        .isEqualTo(0.01);
    assertThat(s.samples().keySet())
        .as("no label carries a user, number or call id")
        .noneMatch(k -> k.contains("alice") || k.contains("5551234567") || k.contains("c1"));
  }

  @Test
  void sipMessagesAreCountedByMethodAndCodeWithUnknownMethodsFolded() throws Exception {
    var sip = metrics.sipTraffic();
    sip.request("INVITE", false);
    sip.response("INVITE", 100, true);
    sip.response("INVITE", 180, true);
    sip.response("INVITE", 200, true);
    sip.response("INVITE", 200, true);
    sip.request("BYE", true);
    sip.response("BYE", 200, false);
    sip.request("X-ATTACKER-" + System.nanoTime(), false);
    Scrape s = scrape();
    assertThat(s.types())
        .containsEntry("tandem_sip_requests_received_total", "counter")
        .containsEntry("tandem_sip_responses_sent_total", "counter");
    assertThat(s.value("tandem_sip_requests_received_total", "method", "INVITE")).isEqualTo(1);
    assertThat(s.value("tandem_sip_requests_received_total", "method", "other")).isEqualTo(1);
    assertThat(s.value("tandem_sip_requests_sent_total", "method", "BYE")).isEqualTo(1);
    assertThat(s.value("tandem_sip_responses_sent_total", "method", "INVITE", "code", "200"))
        .isEqualTo(2);
    assertThat(s.value("tandem_sip_responses_received_total", "method", "BYE", "code", "200"))
        .isEqualTo(1);
  }

  @Test
  void rtpengineCommandsAreTimedAndTheirFailuresCountedByKind() throws Exception {
    var ng = metrics.rtpengine();
    ng.answered("offer", Duration.ofMillis(3).toNanos());
    ng.failed("offer", NgException.Kind.TIMEOUT);
    Scrape s = scrape();
    assertThat(s.types())
        .containsEntry("tandem_rtpengine_ng_request_seconds", "histogram")
        .containsEntry("tandem_rtpengine_ng_failures_total", "counter");
    assertThat(s.value("tandem_rtpengine_ng_request_seconds_count", "command", "offer"))
        .isEqualTo(1);
    assertThat(
            s.value(
                "tandem_rtpengine_ng_request_seconds_bucket", "command", "offer", "le", "0.005"))
        .isEqualTo(1);
    assertThat(s.value("tandem_rtpengine_ng_failures_total", "command", "offer", "kind", "timeout"))
        .isEqualTo(1);
  }

  @Test
  void buildInfoAndTheJvmAreThere() throws Exception {
    Scrape s = scrape();
    assertThat(s.types()).containsEntry("tandem_build_info", "gauge");
    assertThat(s.value("tandem_build_info", "version", "1.2.3-test")).isEqualTo(1);
    assertThat(s.types())
        .containsKeys(
            "jvm_memory_used_bytes",
            "jvm_threads_current",
            "jvm_classes_currently_loaded",
            "jvm_gc_collection_seconds");
    assertThat(s.types().keySet())
        .as("every metric of Tandem's own starts with tandem_")
        .allMatch(n -> n.startsWith("tandem_") || n.startsWith("jvm_") || n.startsWith("process_"));
    assertThat(List.copyOf(s.types().keySet())).isNotEmpty();
  }
}

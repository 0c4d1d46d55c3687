package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real Prometheus scrapes the bridge's metrics listener each second during a Chromium → SIPp
 * call, through the embedded relay and through rtpengine; its query API then shows the call in
 * progress, the answered call ended, the call in the setup-time histogram, the SIP responses, and
 * the relay's packets or rtpengine's timed NG commands (docs/metrics.md).
 */
@RealPeers({"prometheus", "chromium", "sipp", "rtpengine"})
class MetricsE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Prometheus prometheus;
  private Rtpengine rtpengine;
  private int metricsPort;
  private Process uas;
  private int sippPort;

  /** Starts the bridge with {@code backend} (and rtpengine for it) and Prometheus scraping it. */
  private void start(String backend) throws Exception {
    ns = NetworkNamespace.create();
    sippPort = FreePorts.next();
    metricsPort = FreePorts.next();
    int ngPort = 2223;
    if (backend.equals("rtpengine")) {
      rtpengine = Rtpengine.start(dir, ns);
      ngPort = rtpengine.ngPort;
    }
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx:
              host: 127.0.0.1
              port: %d
          dial-plan:
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
          permissions:
            everyone: [extensions]
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 42200
            port-max: 42299
        metrics:
          enabled: true
          port: %d
          path: /metrics
        """
            .formatted(sippPort, backend, ngPort, metricsPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
    prometheus = Prometheus.start(dir, ns, metricsPort, "/metrics");
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (uas != null) {
        Peers.stop(uas, 1, Duration.ofSeconds(5));
      }
      if (prometheus != null) {
        prometheus.close();
      }
      if (tandem != null) {
        tandem.close();
      }
      if (rtpengine != null) {
        rtpengine.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "rtpengine"})
  void prometheusSeesTheAnsweredCallAndItsSetupTime(String backend) throws Exception {
    start(backend);
    awaitQuery("up{job=\"tandem\"}", 1);
    awaitQuery("tandem_build_info", 1);
    uas = sipp("-sn", "uas", "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "1");
    try (Browser b = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(b, tandem, "alice");
      alice.dial("1000");
      try {
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        awaitQuery("tandem_calls{direction=\"outbound\",state=\"active\"}", 1);
        awaitQuery("sum(tandem_browser_sessions{state=\"connected\"})", 1);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n" + b.console() + "\n" + tandem.output() + prometheus.log(), e);
      }
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
    }
    assertThat(uas.waitFor(15, TimeUnit.SECONDS)).isTrue();
    awaitQuery(
        "sum(tandem_calls_ended_total{direction=\"outbound\",outcome=\"answered\","
            + "reason=\"hangup\"})",
        1);
    awaitQuery("sum(tandem_call_setup_seconds_count{direction=\"outbound\"})", 1);
    awaitQuery(
        "sum(tandem_call_setup_seconds_bucket{direction=\"outbound\",le=\"+Inf\"})", 1);
    // a local SIPp answers at once: the call is in the 5 s bucket, with a real, positive setup
    // time
    awaitQuery("sum(tandem_call_setup_seconds_bucket{direction=\"outbound\",le=\"5.0\"})", 1);
    OptionalDouble setup =
        prometheus.query("sum(tandem_call_setup_seconds_sum{direction=\"outbound\"})");
    assertThat(setup).isPresent();
    assertThat(setup.getAsDouble()).isGreaterThan(0).isLessThan(5);
    assertThat(prometheus.query("sum(tandem_calls{state=\"active\"})")).hasValue(0);
    awaitQuery(
        "sum(tandem_sip_responses_received_total{method=\"INVITE\",code=\"200\"})", 1);
    awaitQuery("sum(tandem_sip_requests_sent_total{method=\"BYE\"})", 1);
    if (backend.equals("embedded")) {
      awaitQuery("tandem_relay_packets_total{from=\"browser\"}", 50);
      awaitQuery("tandem_relay_packets_total{from=\"sip\"}", 50);
      assertThat(prometheus.query("tandem_relay_dtls_handshake_failures_total{kind=\"failed\"}"))
          .hasValue(0);
    } else {
      // rtpengine's real answers: offer, answer and delete timed, none failed
      for (String command : List.of("offer", "answer", "delete")) {
        awaitQuery(
            "sum(tandem_rtpengine_ng_request_seconds_count{command=\"" + command + "\"})", 1);
      }
      assertThat(prometheus.query("sum(tandem_rtpengine_ng_failures_total)")).isEmpty();
    }
    awaitQuery("sum(jvm_threads_current)", 1);
    // the exposition, with every series the call made, passes Prometheus's own linter
    Peers.require("promtool", "prometheus");
    Process lint =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        "sh",
                        "-c",
                        "curl -sf -o metrics.txt http://127.0.0.1:" + metricsPort + "/metrics"
                            + " && grep -q '^tandem_calls_ended_total' metrics.txt"
                            + " && promtool check metrics < metrics.txt")))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String problems = new String(lint.getInputStream().readAllBytes());
    assertThat(lint.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(lint.exitValue()).as("promtool check metrics: " + problems).isZero();
    assertThat(problems).isBlank();
  }

  /**
   * Waits until {@code promql} has one sample of at least {@code atLeast}: a few scrapes, more on a
   * loaded machine (a scrape that takes over 1 s is dropped), at most 20 s.
   */
  private void awaitQuery(String promql, double atLeast) throws Exception {
    try {
      await(promql)
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                OptionalDouble value = prometheus.query(promql);
                return value.isPresent() && value.getAsDouble() >= atLeast;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          promql + " >= " + atLeast + " not seen; " + prometheus.targets() + "\n"
              + prometheus.log() + "\n" + tandem.output(),
          e);
    }
  }

  private Process sipp(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-mp", Integer.toString(FreePorts.next()),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin"));
    return new ProcessBuilder(ns.wrap(command))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("sipp.out").toFile())
        .start();
  }
}

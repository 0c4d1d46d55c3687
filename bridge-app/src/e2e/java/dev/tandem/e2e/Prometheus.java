package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian package {@code prometheus}) of the test's own: its own config
 * and storage under the test's directory, listening on a free port in the test's namespace,
 * scraping one target every second. Queried over its HTTP API with curl inside the namespace.
 * {@link #close} stops it.
 */
final class Prometheus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NetworkNamespace ns;
  private final int port;
  private final Process process;
  private final Path log;

  private Prometheus(NetworkNamespace ns, int port, Process process, Path log) {
    this.ns = ns;
    this.port = port;
    this.process = process;
    this.log = log;
  }

  /** Starts Prometheus scraping {@code http://127.0.0.1:<targetPort><path>} each second. */
  static Prometheus start(Path dir, NetworkNamespace ns, int targetPort, String path)
      throws IOException, InterruptedException {
    Path binary = Peers.require("prometheus", "prometheus");
    Path home = Files.createDirectories(dir.resolve("prometheus"));
    Path config = home.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: tandem
            metrics_path: %s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(path, targetPort));
    int port = FreePorts.next();
    Path log = home.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + home.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Prometheus prometheus = new Prometheus(ns, port, process, log);
    try {
      await("prometheus /-/ready")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError("prometheus exited:\n" + Peers.readLog(log));
                }
                return prometheus.curl("/-/ready").isPresent();
              });
    } catch (RuntimeException | AssertionError e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  /**
   * The value of an instant query ({@code /api/v1/query}) whose result is one sample, e.g. {@code
   * sum(...)}; empty while the query has no result yet.
   */
  OptionalDouble query(String promql) throws IOException, InterruptedException {
    String body =
        curl("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
            .orElseThrow(() -> new AssertionError("prometheus did not answer " + promql));
    JsonNode answer = JSON.readTree(body);
    if (!"success".equals(answer.path("status").asText())) {
      throw new AssertionError("query " + promql + " failed: " + body);
    }
    JsonNode result = answer.path("data").path("result");
    if (result.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  /** Prometheus's view of its scrape target (health, last error, last scrape duration). */
  String targets() throws IOException, InterruptedException {
    return curl("/api/v1/targets").orElse("(no answer to /api/v1/targets)");
  }

  /** What Prometheus logged, for failure messages. */
  String log() {
    return Peers.readLog(log);
  }

  private Optional<String> curl(String pathAndQuery)
      throws IOException, InterruptedException {
    Process curl =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        "curl", "-sf", "-m", "3", "http://127.0.0.1:" + port + pathAndQuery)))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!curl.waitFor(5, TimeUnit.SECONDS)) {
      curl.destroyForcibly();
      return Optional.empty();
    }
    return curl.exitValue() == 0 ? Optional.of(out) : Optional.empty();
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process, 1, Duration.ofSeconds(5));
  }
}

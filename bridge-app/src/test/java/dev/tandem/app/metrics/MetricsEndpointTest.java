package dev.tandem.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.app.config.MetricsSettings;
import dev.tandem.core.lifecycle.StartupException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The metrics listener serves the text format at its path, and a taken port fails the start. */
class MetricsEndpointTest {
  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void servesTheTextFormatAtItsPath() throws Exception {
    TandemMetrics metrics = new TandemMetrics("9.9.9");
    int port = freePort();
    MetricsEndpoint endpoint =
        new MetricsEndpoint(new MetricsSettings(true, "127.0.0.1", port, "/m"), metrics.registry());
    endpoint.start();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/m")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/plain; version=0.0.4");
      assertThat(response.body()).contains("tandem_build_info{version=\"9.9.9\"} 1");
    } finally {
      endpoint.stop();
    }
  }

  @Test
  void aTakenPortFailsTheStartNamingTheListener() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      MetricsEndpoint endpoint =
          new MetricsEndpoint(
              new MetricsSettings(true, "127.0.0.1", taken.getLocalPort(), "/metrics"),
              new TandemMetrics("x").registry());
      assertThatThrownBy(endpoint::start)
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}

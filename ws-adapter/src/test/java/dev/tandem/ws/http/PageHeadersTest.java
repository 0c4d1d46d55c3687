package dev.tandem.ws.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.health.Readiness;
import dev.tandem.ws.HttpSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageHeadersTest {
  private HttpServer http;
  private int port;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    http =
        new HttpServer(
            new HttpSettings("127.0.0.1", port, Duration.ofSeconds(30)),
            Duration.ofSeconds(1),
            new Readiness());
    http.staticFiles("pages/", List.of("https://app.example"));
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop();
  }

  private HttpResponse<String> get(String path, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noResponseNamesTheServerOrItsVersion() throws Exception {
    for (String path : List.of("/", "/healthz", "/missing")) {
      assertThat(get(path, null).headers().firstValue("Server")).as(path).isEmpty();
    }
  }

  @Test
  void pagesCarryTheSecurityHeaders() throws Exception {
    HttpResponse<String> page = get("/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .contains("default-src 'self'")
                    .contains("connect-src 'self' ws: wss:")
                    .contains("frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void theSdkMayBeImportedFromAnAllowedOriginOnly() throws Exception {
    HttpResponse<String> allowed = get("/sdk/tandem.js", "https://app.example");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://app.example");
    assertThat(allowed.headers().allValues("Vary")).anyMatch(v -> v.contains("Origin"));
    HttpResponse<String> other = get("/sdk/tandem.js", "https://evil.example");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(other.headers().allValues("Vary")).anyMatch(v -> v.contains("Origin"));
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web app on its own origin (a page served by another web server) uses the SDK the bridge
 * serves, in a real Chromium: from an origin in {@code ws.allowed-origins} it imports the SDK
 * cross-origin (CORS) and signs in; from any other origin the import is blocked, and a page that
 * brings its own copy of the SDK is told "origin not allowed" (4403) instead of a bare 1006.
 */
@RealPeers({"chromium"})
class CrossOriginSdkE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> servers = new ArrayList<>();
  private int appPort;
  private int otherPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    appPort = FreePorts.next();
    otherPort = FreePorts.next();
    tandem =
        TandemProcess.start(dir, ns, "--set", "ws.allowed-origins=[\"http://127.0.0.1:" + appPort + "\"]");
    tandem.awaitReady();
    Path app = Files.createDirectories(dir.resolve("app"));
    String bridge = "127.0.0.1:" + tandem.httpPort;
    String page =
        """
        <!doctype html>
        <meta charset="utf-8">
        <title>app</title>
        <script type="module">
        window.outcome = import('%s')
          .then(({ connect }) =>
            connect({ url: 'ws://%s/ws', user: 'alice', password: 'alice-dev', reconnect: false }))
          .then((client) => 'connected as ' + client.user, (e) => 'refused ' + e.code + ': ' + e.message);
        </script>
        """;
    Files.writeString(app.resolve("app.html"), page.formatted("http://" + bridge + "/sdk/tandem.js", bridge));
    Files.writeString(app.resolve("own.html"), page.formatted("./tandem.js", bridge));
    Files.copy(Path.of("../web/sdk/tandem.js"), app.resolve("tandem.js"));
    for (int port : List.of(appPort, otherPort)) {
      servers.add(
          new ProcessBuilder(
                  ns.wrap(
                      List.of(
                          "/usr/bin/python3", "-m", "http.server", String.valueOf(port),
                          "--bind", "127.0.0.1", "--directory", app.toString())))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("http-" + port + ".log").toFile())
              .start());
    }
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : servers) {
        p.destroy();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private String outcome(Browser browser, int port, String page) {
    String url = "http://127.0.0.1:" + port + "/" + page;
    await("page " + url)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              browser.open(url);
              return true;
            });
    browser.waitFor("window.outcome", Duration.ofSeconds(10));
    return browser.eval("window.outcome").asText();
  }

  @Test
  void anAllowedOriginImportsTheSdkAndSignsInAnotherIsToldWhy() throws Exception {
    try (Browser browser = Browser.launch(Kind.CHROMIUM, "app", ns, dir)) {
      assertThat(outcome(browser, appPort, "app.html")).isEqualTo("connected as alice");
      // no CORS header for this origin: the browser refuses the module
      assertThat(outcome(browser, otherPort, "app.html")).startsWith("refused undefined: ");
      assertThat(outcome(browser, otherPort, "own.html"))
          .isEqualTo("refused 4403: origin not allowed: http://127.0.0.1:" + otherPort);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + tandem.output(), e);
    }
    assertThat(tandem.output())
        .contains("origin http://127.0.0.1:" + otherPort + " is not allowed (ws.allowed-origins)");
  }
}

package dev.tandem.app.metrics;

import dev.tandem.app.config.MetricsSettings;
import dev.tandem.core.lifecycle.StartupException;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics listener: the Prometheus client's own small HTTP server (the JDK's {@code
 * com.sun.net.httpserver}) on {@code metrics.host}:{@code metrics.port}, apart from the browsers'
 * Jetty listener, so that a browser-facing port never serves metrics and the metrics port can stay
 * on a private network. It serves the Prometheus text format at {@code metrics.path}.
 *
 * <p>One thread serves scrapes, one at a time (a scrape takes milliseconds); at most {@link
 * #QUEUED} more wait, others are refused.
 */
public final class MetricsEndpoint {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

  /** Scrapes that may wait while one is served. */
  static final int QUEUED = 16;

  private final MetricsSettings settings;
  private final PrometheusRegistry registry;
  private ExecutorService executor;
  private HTTPServer server;

  public MetricsEndpoint(MetricsSettings settings, PrometheusRegistry registry) {
    this.settings = settings;
    this.registry = registry;
  }

  /** Opens the listener; a port in use or an unknown address fails the start. */
  public void start() throws StartupException {
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED),
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            });
    try {
      server =
          HTTPServer.builder()
              .inetAddress(InetAddress.getByName(settings.host()))
              .port(settings.port())
              .metricsHandlerPath(settings.path())
              .registerHealthHandler(false)
              .executorService(executor)
              .registry(registry)
              .buildAndStart();
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      throw new StartupException(
          "metrics",
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(),
          e);
    }
    log.info("metrics on http://{}:{}{}", settings.host(), server.getPort(), settings.path());
  }

  /** The port listened on (the configured one), once started. */
  public int port() {
    return server.getPort();
  }

  /** Closes the listener; idempotent. */
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

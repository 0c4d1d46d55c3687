package dev.tandem.ws.http;

import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.ws.HttpSettings;
import java.time.Duration;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's Jetty server: one connector on the configured address, the health endpoints, and
 * whatever handlers the browser protocol adds. Reports itself to {@link Readiness}; stops
 * gracefully, letting requests in flight finish.
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  private final HttpSettings settings;
  private final Readiness readiness;
  private final PathMappingsHandler routes = new PathMappingsHandler();
  private final Duration stopTimeout;
  private final String component;
  private Server server;

  /**
   * @param stopTimeout how long {@link #stop} waits for requests in flight
   */
  public HttpServer(HttpSettings settings, Duration stopTimeout, Readiness readiness) {
    this.settings = settings;
    this.stopTimeout = stopTimeout;
    this.readiness = readiness;
    this.component = "http " + settings.host() + ":" + settings.port();
    readiness.register(component);
    routes.addMapping(PathSpec.from("/healthz"), HealthHandler.liveness(readiness));
    routes.addMapping(PathSpec.from("/readyz"), HealthHandler.readiness(readiness));
  }

  /**
   * Adds a handler for a path spec such as {@code /ws} or {@code /api/*}; before {@link #start}.
   */
  public void route(String pathSpec, Handler handler) {
    if (server != null) {
      throw new IllegalStateException("routes are fixed once the server has started");
    }
    routes.addMapping(PathSpec.from(pathSpec), handler);
  }

  /** Binds the connector and starts serving. */
  public void start() throws StartupException {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("http");
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(routes));
    server.setStopTimeout(stopTimeout.toMillis());
    server.setStopAtShutdown(false);
    try {
      server.start();
    } catch (Exception e) {
      readiness.set(component, Readiness.State.DOWN);
      stop();
      throw new StartupException(component, StartupException.rootMessage(e), e);
    }
    readiness.set(component, Readiness.State.UP);
    log.info("HTTP listening on {}:{}", settings.host(), connector.getLocalPort());
  }

  /** Stops accepting connections, waits for requests in flight, then closes; idempotent. */
  public void stop() {
    readiness.set(component, Readiness.State.DOWN);
    if (server == null) {
      return;
    }
    boolean wasServing = server.isStarted();
    try {
      server.stop();
      if (wasServing) {
        log.info("HTTP server stopped");
      }
    } catch (Exception e) {
      log.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    server = null;
  }
}

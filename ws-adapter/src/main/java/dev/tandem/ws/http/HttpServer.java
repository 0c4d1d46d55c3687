package dev.tandem.ws.http;

import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.ws.HttpSettings;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's Jetty server: one connector on the configured address, the health endpoints, and the
 * handlers the browser side adds (WebSocket, API, static files). Reports itself to {@link
 * Readiness}; stops gracefully, letting requests in flight finish.
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final HttpSettings settings;
  private final Readiness readiness;
  private final String component;
  private final Server server;
  private final ServerConnector connector;
  private final PathMappingsHandler routes = new PathMappingsHandler();
  private final ContextHandler context = new ContextHandler("/");
  private final WebSocketUpgradeHandler webSockets;
  private boolean started;

  /**
   * @param stopTimeout how long {@link #stop} waits for requests in flight
   */
  public HttpServer(HttpSettings settings, Duration stopTimeout, Readiness readiness) {
    this.settings = settings;
    this.readiness = readiness;
    this.component = "http " + settings.host() + ":" + settings.port();
    readiness.register(component);
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("http");
    server = new Server(threads);
    connector = new ServerConnector(server);
    // no "Server: Jetty(12...)" header: the version tells an attacker which CVEs to try
    connector
        .getConnectionFactory(HttpConnectionFactory.class)
        .getHttpConfiguration()
        .setSendServerVersion(false);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    server.addConnector(connector);
    // context -> WebSocket upgrades -> routes: an upgrade request to a WebSocket path is taken
    // by the upgrade handler, everything else goes on to the routes.
    webSockets = WebSocketUpgradeHandler.from(server, context);
    webSockets.setHandler(routes);
    context.setHandler(webSockets);
    server.setHandler(new GracefulHandler(context));
    server.setStopTimeout(stopTimeout.toMillis());
    server.setStopAtShutdown(false);
    routes.addMapping(PathSpec.from("/healthz"), HealthHandler.liveness(readiness));
    routes.addMapping(PathSpec.from("/readyz"), HealthHandler.readiness(readiness));
  }

  /** Adds a handler for a path spec such as {@code /api/ice-servers}; before {@link #start}. */
  public void route(String pathSpec, Handler handler) {
    requireNotStarted();
    routes.addMapping(PathSpec.from(pathSpec), handler);
  }

  /** Configures WebSocket endpoints: limits, and a mapping from each path to its creator. */
  public void webSockets(Consumer<ServerWebSocketContainer> configure) {
    requireNotStarted();
    configure.accept(webSockets.getServerWebSocketContainer());
  }

  /**
   * Serves the files under a class-path folder (e.g. {@code web/}) for every other path, with the
   * pages' security headers ({@link PageHeaders}) and CORS on the SDK for {@code corsOrigins}.
   */
  public void staticFiles(String classPathFolder, List<String> corsOrigins) {
    requireNotStarted();
    Resource base = ResourceFactory.of(server).newClassLoaderResource(classPathFolder);
    if (base == null) {
      throw new IllegalArgumentException("no class-path folder " + classPathFolder);
    }
    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(base);
    files.setDirAllowed(false);
    files.setWelcomeFiles("index.html");
    files.setCacheControl("no-cache");
    routes.addMapping(PathSpec.from("/"), new PageHeaders(files, corsOrigins));
  }

  private void requireNotStarted() {
    if (started) {
      throw new IllegalStateException("routes are fixed once the server has started");
    }
  }

  /** Binds the connector and starts serving. */
  public void start() throws StartupException {
    started = true;
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
    if (server.isStopped()) {
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
  }
}

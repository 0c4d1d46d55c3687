package dev.tandem.app.admin;

import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.ws.auth.LoginThrottle;
import dev.tandem.ws.auth.ThrottleSettings;
import java.time.Clock;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's own Jetty server: one connector on {@code admin.host:admin.port}, apart from the
 * browsers' listener so that it can stay on loopback or a management network, and so that a drain
 * (which closes the browsers' readiness) leaves it answering.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Admin requests are few; a small pool bounds what a flood can take. */
  static final int MAX_THREADS = 8;

  private final AdminSettings settings;
  private final Server server;
  private final ServerConnector connector;

  /**
   * @param throttle how wrong tokens are slowed down (the {@code auth.throttle} settings)
   */
  public AdminServer(
      AdminSettings settings, ThrottleSettings throttle, AdminService service, Clock clock) {
    this.settings = settings;
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
    threads.setName("admin");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector
        .getConnectionFactory(HttpConnectionFactory.class)
        .getHttpConfiguration()
        .setSendServerVersion(false);
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    server.addConnector(connector);
    server.setHandler(
        new AdminApi(
            new BearerToken(settings.token()), new LoginThrottle(throttle, clock), service));
    server.setStopAtShutdown(false);
  }

  public void start() throws StartupException {
    String component = "admin " + settings.host() + ":" + settings.port();
    try {
      server.start();
    } catch (Exception e) {
      stop();
      throw new StartupException(component, StartupException.rootMessage(e), e);
    }
    log.info("admin API listening on {}:{}", settings.host(), connector.getLocalPort());
  }

  /** The port it listens on (the configured one, or the one picked for port 0 in tests). */
  public int port() {
    return connector.getLocalPort();
  }

  public void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("admin API did not stop cleanly: {}", e.toString());
    }
  }
}

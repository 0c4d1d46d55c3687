package dev.tandem.ws.socket;

import dev.tandem.core.call.Switchboard;
import dev.tandem.core.time.Scheduler;
import dev.tandem.ws.auth.Authenticator;
import dev.tandem.ws.http.HttpServer;
import dev.tandem.ws.ice.IceServerProvider;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The {@code /ws} endpoint: checks each upgrade (origin, subprotocol {@code tandem.v1}) and creates
 * a {@link BrowserSocket} with everything a connection needs; a refused origin is closed at once
 * with 4403 ({@link RefusedOrigin}).
 */
public record BrowserEndpoint(
    WsLimits limits,
    Switchboard switchboard,
    Authenticator authenticator,
    IceServerProvider iceServers,
    Scheduler scheduler,
    Duration resumeGrace,
    LongSupplier nanoTime,
    BrowserCounters counters) {

  /** An endpoint whose limits never change, its refusals counted in counters of its own. */
  public BrowserEndpoint(
      WsSettings settings,
      Switchboard switchboard,
      Authenticator authenticator,
      IceServerProvider iceServers,
      Scheduler scheduler,
      Duration resumeGrace,
      LongSupplier nanoTime) {
    this(
        new WsLimits(settings),
        switchboard,
        authenticator,
        iceServers,
        scheduler,
        resumeGrace,
        nanoTime,
        new BrowserCounters());
  }

  /** The {@code ws} settings now (a reload may have replaced them: {@link WsLimits}). */
  public WsSettings settings() {
    return limits.current();
  }

  public static final String PATH = "/ws";
  public static final String SUBPROTOCOL = "tandem.v1";

  /** Mounts the endpoint on {@code server}. */
  public void mount(HttpServer server) {
    WsSettings settings = settings();
    OriginPolicy origins = new OriginPolicy(settings.allowedOrigins());
    RefusedOrigin refused = new RefusedOrigin(nanoTime, counters);
    int hardLimit = (int) Math.min(Integer.MAX_VALUE - 8, 4L * settings.maxMessageSize());
    server.webSockets(
        container -> {
          container.setMaxTextMessageSize(hardLimit);
          container.setMaxBinaryMessageSize(1024);
          container.setIdleTimeout(settings.idleTimeout());
          container.addMapping(
              PATH,
              (request, response, callback) -> {
                String origin = request.getHeaders().get(HttpHeader.ORIGIN);
                String host = request.getHeaders().get(HttpHeader.HOST);
                List<String> protocols = request.getSubProtocols();
                if (!origins.allows(origin, host)) {
                  // accepted only to be closed with 4403 and a reason the page can read
                  if (protocols.contains(SUBPROTOCOL)) {
                    response.setAcceptedSubProtocol(SUBPROTOCOL);
                  }
                  return refused.refuse(origin, String.valueOf(Request.getRemoteAddr(request)));
                }
                if (!protocols.contains(SUBPROTOCOL)) {
                  Response.writeError(
                      request,
                      response,
                      callback,
                      HttpStatus.BAD_REQUEST_400,
                      "the WebSocket subprotocol must be " + SUBPROTOCOL);
                  return null;
                }
                response.setAcceptedSubProtocol(SUBPROTOCOL);
                return new BrowserSocket(this);
              });
        });
  }
}

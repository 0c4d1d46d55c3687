package dev.tandem.ws.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.health.Readiness;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the orchestrator's probes. {@code /healthz} (liveness) is 200 whenever the process can
 * answer at all; {@code /readyz} is 200 only when every listener is up, 503 otherwise, and both say
 * which component is in which state.
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Readiness readiness;
  private final boolean readinessProbe;

  private HealthHandler(Readiness readiness, boolean readinessProbe) {
    this.readiness = readiness;
    this.readinessProbe = readinessProbe;
  }

  static HealthHandler liveness(Readiness readiness) {
    return new HealthHandler(readiness, false);
  }

  static HealthHandler readiness(Readiness readiness) {
    return new HealthHandler(readiness, true);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    boolean ready = readiness.isReady();
    ObjectNode body = JSON.createObjectNode();
    body.put("status", readinessProbe ? (ready ? "ready" : "not-ready") : "alive");
    ObjectNode components = body.putObject("components");
    for (Map.Entry<String, Readiness.State> e : readiness.snapshot().entrySet()) {
      components.put(e.getKey(), e.getValue().name().toLowerCase(java.util.Locale.ROOT));
    }
    response.setStatus(
        readinessProbe && !ready ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body.toString() + "\n", callback);
    return true;
  }
}

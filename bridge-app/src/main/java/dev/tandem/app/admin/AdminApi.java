package dev.tandem.app.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.ws.auth.LoginThrottle;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's one handler: throttle, bearer token, route ({@link AdminRoute}), then the
 * operation ({@link AdminService}), JSON in and out. Every error is JSON too: {@code {"error",
 * "message"}}. A wrong or missing token counts as a failed login ({@link LoginThrottle}, per client
 * address); past the free failures the address waits (429 with {@code Retry-After}).
 */
final class AdminApi extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The largest request body read (a drain's deadline is all a body carries). */
  static final int MAX_BODY = 4096;

  /** The longest drain deadline a request may ask for. */
  static final Duration MAX_DRAIN_DEADLINE = Duration.ofDays(1);

  private final BearerToken token;
  private final LoginThrottle throttle;
  private final AdminService service;

  AdminApi(BearerToken token, LoginThrottle throttle, AdminService service) {
    this.token = token;
    this.throttle = throttle;
    this.service = service;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String source = Optional.ofNullable(Request.getRemoteAddr(request)).orElse("");
    // the user key is per address too: a stranger's wrong tokens must not lock the operator out
    String who = "admin@" + source;
    Optional<Duration> wait = throttle.retryAfter(who, source);
    if (wait.isPresent()) {
      response
          .getHeaders()
          .put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, wait.get().toSeconds())));
      return reply(
          response,
          callback,
          HttpStatus.TOO_MANY_REQUESTS_429,
          error("throttled", "too many wrong tokens from " + source + "; wait and try again"));
    }
    if (!token.accepts(Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)))) {
      throttle.failed(who, source);
      log.warn("admin API: missing or wrong bearer token from {}", source);
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"tandem-admin\"");
      return reply(
          response,
          callback,
          HttpStatus.UNAUTHORIZED_401,
          error("unauthorized", "Authorization: Bearer <admin.token> required"));
    }
    throttle.succeeded(who);
    String path = request.getHttpURI().getPath();
    Optional<AdminRoute.Match> match = AdminRoute.match(request.getMethod(), path);
    if (match.isEmpty()) {
      Optional<AdminRoute> other = AdminRoute.ofPath(path);
      if (other.isPresent()) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed(path));
        return reply(
            response,
            callback,
            HttpStatus.METHOD_NOT_ALLOWED_405,
            error(
                "method-not-allowed", request.getMethod() + " " + path + ": use " + allowed(path)));
      }
      return reply(
          response, callback, HttpStatus.NOT_FOUND_404, error("not-found", "no route " + path));
    }
    try {
      Reply reply = dispatch(match.get(), request);
      if (match.get().route().method().equals("GET")) {
        log.debug("admin {} {} -> {}", request.getMethod(), path, reply.status());
      } else {
        log.info("admin {} {} from {} -> {}", request.getMethod(), path, source, reply.status());
      }
      return reply(response, callback, reply.status(), reply.body());
    } catch (BadRequest e) {
      return reply(
          response, callback, HttpStatus.BAD_REQUEST_400, error("bad-request", e.getMessage()));
    } catch (RuntimeException e) {
      log.warn("admin {} {} failed", request.getMethod(), path, e);
      return reply(
          response,
          callback,
          HttpStatus.INTERNAL_SERVER_ERROR_500,
          error("internal-error", e.toString()));
    }
  }

  private record Reply(int status, Object body) {}

  private Reply dispatch(AdminRoute.Match match, Request request) {
    return switch (match.route()) {
      case STATUS -> new Reply(HttpStatus.OK_200, service.status());
      case SESSIONS -> new Reply(HttpStatus.OK_200, service.sessions());
      case CALLS -> new Reply(HttpStatus.OK_200, service.calls());
      case REGISTRATIONS -> new Reply(HttpStatus.OK_200, service.registrations());
      case END_CALL -> {
        String id = match.parameter().orElseThrow();
        yield service
            .endCall(id)
            .map(ended -> new Reply(HttpStatus.OK_200, ended))
            .orElse(new Reply(HttpStatus.NOT_FOUND_404, error("not-found", "no call " + id)));
      }
      case DISCONNECT_USER -> {
        String user = match.parameter().orElseThrow();
        yield service
            .disconnect(user)
            .map(done -> new Reply(HttpStatus.OK_200, done))
            .orElse(
                new Reply(HttpStatus.NOT_FOUND_404, error("not-found", user + " has no session")));
      }
      case DRAIN -> new Reply(HttpStatus.ACCEPTED_202, service.drain(deadline(request)));
      case RELOAD -> {
        AdminViews.ReloadView view = service.reload();
        yield new Reply(
            view.outcome().equals("refused")
                ? HttpStatus.UNPROCESSABLE_ENTITY_422
                : HttpStatus.OK_200,
            view);
      }
    };
  }

  /** A drain's {@code {"deadlineSeconds": n}}; empty body or key: the configured default. */
  private static Optional<Duration> deadline(Request request) {
    JsonNode body = body(request);
    if (body == null || !body.has("deadlineSeconds")) {
      return Optional.empty();
    }
    JsonNode seconds = body.get("deadlineSeconds");
    if (!seconds.canConvertToLong()
        || !seconds.isIntegralNumber()
        || seconds.asLong() < 1
        || seconds.asLong() > MAX_DRAIN_DEADLINE.toSeconds()) {
      throw new BadRequest(
          "deadlineSeconds: must be a whole number 1.." + MAX_DRAIN_DEADLINE.toSeconds());
    }
    return Optional.of(Duration.ofSeconds(seconds.asLong()));
  }

  /** The request's JSON object, or null when it has no body. */
  private static JsonNode body(Request request) {
    long length = request.getLength();
    if (length > MAX_BODY) {
      throw new BadRequest("body over " + MAX_BODY + " bytes");
    }
    String text;
    try {
      text = Content.Source.asString(request);
    } catch (IOException e) {
      throw new BadRequest("cannot read the body: " + e.getMessage());
    }
    if (text.length() > MAX_BODY) {
      throw new BadRequest("body over " + MAX_BODY + " bytes");
    }
    if (text.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (!node.isObject()) {
        throw new BadRequest("body: must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new BadRequest(
          "body: not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  private static String allowed(String path) {
    StringBuilder methods = new StringBuilder();
    for (AdminRoute route : AdminRoute.values()) {
      if (route.matches(path)) {
        methods.append(methods.length() == 0 ? "" : ", ").append(route.method());
      }
    }
    return methods.toString();
  }

  private static AdminViews.Error error(String code, String message) {
    return new AdminViews.Error(code, message);
  }

  private static boolean reply(Response response, Callback callback, int status, Object body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
      json = "{\"error\":\"internal-error\",\"message\":\"cannot write JSON\"}";
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, json + "\n", callback);
    return true;
  }

  /** A request the API cannot take, with the sentence that says why. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}

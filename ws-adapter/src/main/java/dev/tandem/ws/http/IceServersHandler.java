package dev.tandem.ws.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.ws.auth.AuthResult;
import dev.tandem.ws.auth.Authenticator;
import dev.tandem.ws.auth.Credentials;
import dev.tandem.ws.ice.IceServerProvider;
import dev.tandem.ws.protocol.IceServersJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/ice-servers}: the STUN/TURN servers, with fresh TURN credentials, for an HTTP
 * client that authenticates like a browser does: {@code Authorization: Bearer <JWT>}, or Basic with
 * a development user. Wrong passwords are throttled like the WebSocket login's: 429 with {@code
 * Retry-After} while the user or the address is blocked.
 */
public final class IceServersHandler extends Handler.Abstract.NonBlocking {
  private final Authenticator authenticator;
  private final IceServerProvider iceServers;

  public IceServersHandler(Authenticator authenticator, IceServerProvider iceServers) {
    this.authenticator = authenticator;
    this.iceServers = iceServers;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (!"GET".equals(request.getMethod())) {
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    Optional<Credentials> credentials =
        credentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    String source = Request.getRemoteAddr(request);
    AuthResult result =
        credentials
            .map(c -> authenticator.authenticate(c, source == null ? "" : source))
            .orElse(new AuthResult.Refused("missing Authorization header"));
    if (result instanceof AuthResult.Throttled throttled) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(throttled.seconds()));
      Response.writeError(
          request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429, throttled.reason());
      return true;
    }
    if (result instanceof AuthResult.Refused refused) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"tandem\"");
      Response.writeError(
          request, response, callback, HttpStatus.UNAUTHORIZED_401, refused.reason());
      return true;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    IceServersJson.put(body, iceServers.forUser(((AuthResult.Authenticated) result).user()));
    response.setStatus(HttpStatus.OK_200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, body + "\n", callback);
    return true;
  }

  private static Optional<Credentials> credentials(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(new Credentials.Token(authorization.substring(7).trim()));
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon > 0) {
          return Optional.of(
              new Credentials.Password(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}

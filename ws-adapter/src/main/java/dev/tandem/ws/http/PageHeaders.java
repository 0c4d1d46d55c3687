package dev.tandem.ws.http;

import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The response headers of the bridge's own pages (the demo at {@code /}, the SDK at {@code /sdk/}):
 * a Content-Security-Policy that lets them load only from the bridge and connect only to it (and
 * its WebSocket), never be framed; {@code nosniff}; no referrer. The SDK may also be imported by a
 * web app on one of {@code ws.allowed-origins}: its files carry CORS headers for those origins
 * ({@code *}: any).
 */
public final class PageHeaders extends Handler.Wrapper {
  /** What the demo needs: its own scripts and styles, its WebSocket, a data: favicon. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  static final String SDK_PATH = "/sdk/";

  private final List<String> corsOrigins;

  /**
   * @param corsOrigins origins that may load the SDK cross-origin ({@code ws.allowed-origins})
   */
  public PageHeaders(Handler pages, List<String> corsOrigins) {
    super(pages);
    this.corsOrigins = corsOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    var headers = response.getHeaders();
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    if (request.getHttpURI().getPath().startsWith(SDK_PATH)) {
      headers.add(HttpHeader.VARY, "Origin");
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (origin != null
          && (corsOrigins.contains("*") || corsOrigins.contains(origin.toLowerCase(Locale.ROOT)))) {
        headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      }
    }
    return super.handle(request, response, callback);
  }
}

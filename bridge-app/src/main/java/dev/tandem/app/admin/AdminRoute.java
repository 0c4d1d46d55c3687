package dev.tandem.app.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every route of the admin API: its method and path template ({@code {name}} for one path segment),
 * as docs/admin.md and docs/admin-openapi.yaml describe them. The one list the server dispatches on
 * and the OpenAPI test compares with the description.
 */
public enum AdminRoute {
  STATUS("GET", "/admin/v1/status"),
  SESSIONS("GET", "/admin/v1/sessions"),
  CALLS("GET", "/admin/v1/calls"),
  END_CALL("DELETE", "/admin/v1/calls/{callId}"),
  REGISTRATIONS("GET", "/admin/v1/registrations"),
  DISCONNECT_USER("DELETE", "/admin/v1/users/{user}/sessions"),
  DRAIN("POST", "/admin/v1/drain"),
  RELOAD("POST", "/admin/v1/reload");

  private final String method;
  private final String template;
  private final Pattern pattern;

  AdminRoute(String method, String template) {
    this.method = method;
    this.template = template;
    this.pattern = Pattern.compile(template.replaceAll("\\{[A-Za-z]+}", "([^/]+)"));
  }

  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  /** Whether {@code path} is this route's, whatever the method. */
  public boolean matches(String path) {
    return pattern.matcher(path).matches();
  }

  /** A request's route and its one path parameter, if the template has one. */
  public record Match(AdminRoute route, Optional<String> parameter) {}

  /** The route {@code path} names, whatever the method; empty when none does. */
  public static Optional<AdminRoute> ofPath(String path) {
    for (AdminRoute route : values()) {
      if (route.pattern.matcher(path).matches()) {
        return Optional.of(route);
      }
    }
    return Optional.empty();
  }

  /** The route for {@code method} and {@code path}, with its parameter (URL-decoded). */
  public static Optional<Match> match(String method, String path) {
    for (AdminRoute route : values()) {
      Matcher m = route.pattern.matcher(path);
      if (route.method.equals(method) && m.matches()) {
        return Optional.of(
            new Match(
                route,
                m.groupCount() == 0
                    ? Optional.empty()
                    : Optional.of(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8))));
      }
    }
    return Optional.empty();
  }
}

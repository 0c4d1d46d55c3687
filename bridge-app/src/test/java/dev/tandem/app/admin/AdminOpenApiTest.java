package dev.tandem.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tandem.core.browser.SessionId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/admin-openapi.yaml describes exactly the routes the server serves ({@link AdminRoute}), and
 * a real response of each GET (and of the actions) has the shape its schema says: required fields
 * present, each field of its JSON type, enums respected, arrays' items alike — structurally, with
 * no validator library.
 */
class AdminOpenApiTest {
  private static final JsonNode SPEC = spec();

  private static JsonNode spec() {
    try {
      return new ObjectMapper(new YAMLFactory())
          .readTree(Path.of("../docs/admin-openapi.yaml").toFile());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void describesEveryRouteTheServerServesAndNoOther() {
    TreeSet<String> described = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = SPEC.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(m -> described.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    TreeSet<String> served = new TreeSet<>();
    for (AdminRoute route : AdminRoute.values()) {
      served.add(route.method() + " " + route.template());
    }
    assertThat(described).isEqualTo(served);
  }

  @Test
  void everyResponseMatchesItsSchema() throws Exception {
    try (AdminFixture admin = new AdminFixture()) {
      SessionId alice = admin.open("alice", new AdminFixture.Connection());
      admin.open("bob", new AdminFixture.Connection());
      String call = admin.call(alice, "bob").value();
      for (AdminRoute route : AdminRoute.values()) {
        if (route.method().equals("GET")) {
          check(admin, route, route.template(), null, "200");
        }
      }
      check(admin, AdminRoute.STATUS, "/admin/v1/status", "nope", "401");
      check(admin, AdminRoute.RELOAD, "/admin/v1/reload", null, "200");
      check(admin, AdminRoute.END_CALL, "/admin/v1/calls/" + call, null, "200");
      check(admin, AdminRoute.END_CALL, "/admin/v1/calls/" + call, null, "404");
      check(admin, AdminRoute.DISCONNECT_USER, "/admin/v1/users/bob/sessions", null, "200");
      check(admin, AdminRoute.DRAIN, "/admin/v1/drain", null, "202");
      check(admin, AdminRoute.STATUS, "/admin/v1/status", null, "200");
    }
  }

  private static void check(
      AdminFixture admin, AdminRoute route, String path, String wrongToken, String status)
      throws Exception {
    var response =
        admin.send(
            route.method(), path, wrongToken == null ? AdminFixture.TOKEN : wrongToken, null);
    assertThat(response.statusCode()).as(route + " " + path).isEqualTo(Integer.parseInt(status));
    JsonNode described =
        SPEC.get("paths")
            .get(route.template())
            .get(route.method().toLowerCase(Locale.ROOT))
            .get("responses")
            .get(status);
    assertThat(described).as(route + " documents " + status).isNotNull();
    described = resolve(described);
    JsonNode schema = described.get("content").get("application/json").get("schema");
    List<String> problems = new ArrayList<>();
    validate(new ObjectMapper().readTree(response.body()), schema, "$", problems);
    assertThat(problems).as(route + " " + status + ": " + response.body()).isEmpty();
  }

  private static JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String[] parts = node.get("$ref").asText().substring(2).split("/");
      JsonNode target = SPEC;
      for (String part : parts) {
        target = target.get(part);
      }
      node = target;
    }
    return node;
  }

  /** Checks {@code value} against {@code schema}'s type, required, properties, items, enum. */
  static void validate(JsonNode value, JsonNode schema, String at, List<String> problems) {
    schema = resolve(schema);
    String type = schema.path("type").asText("");
    boolean typed =
        switch (type) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> true;
        };
    if (!typed) {
      problems.add(at + ": expected " + type + ", got " + value.getNodeType());
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode allowed : schema.get("enum")) {
        listed |= allowed.asText().equals(value.asText());
      }
      if (!listed) {
        problems.add(at + ": " + value + " is not one of " + schema.get("enum"));
      }
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          problems.add(at + ": missing required " + required.asText());
        }
      }
      JsonNode properties = schema.path("properties");
      value
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (!properties.has(name)) {
                  problems.add(at + ": " + name + " is not described");
                } else {
                  validate(value.get(name), properties.get(name), at + "." + name, problems);
                }
              });
    }
    if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        validate(value.get(i), schema.get("items"), at + "[" + i + "]", problems);
      }
    }
  }
}

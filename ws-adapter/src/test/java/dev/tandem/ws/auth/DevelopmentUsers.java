package dev.tandem.ws.auth;

import java.util.Map;

/** The demo's development users (conf/demo.yaml) for tests: the built-in defaults have none. */
public final class DevelopmentUsers {
  private DevelopmentUsers() {}

  /** No JWT; alice, bob and carol with password name + "-dev". */
  public static AuthSettings settings() {
    return new AuthSettings(
        JwtSettings.defaults(),
        Map.of(
            "alice", new StaticUser("alice-dev"),
            "bob", new StaticUser("bob-dev"),
            "carol", new StaticUser("carol-dev")));
  }
}

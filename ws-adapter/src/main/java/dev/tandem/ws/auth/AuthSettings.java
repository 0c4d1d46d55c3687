package dev.tandem.ws.auth;

import dev.tandem.core.call.Switchboard;
import dev.tandem.core.config.SelfChecking;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code auth} section.
 *
 * @param jwt the signed tokens accepted
 * @param users development users (name to password); empty in production
 */
public record AuthSettings(JwtSettings jwt, Map<String, StaticUser> users) implements SelfChecking {

  public AuthSettings {
    users = Map.copyOf(users);
  }

  /** No JWT; the development users alice, bob and carol (password: name + "-dev"). */
  public static AuthSettings defaults() {
    return new AuthSettings(
        JwtSettings.defaults(),
        Map.of(
            "alice", new StaticUser("alice-dev"),
            "bob", new StaticUser("bob-dev"),
            "carol", new StaticUser("carol-dev")));
  }

  @Override
  public void check(Problems problems) {
    for (String name : new TreeMap<>(users).keySet()) {
      if (!Switchboard.USER_NAME.matcher(name).matches()) {
        problems.add("users." + name, "a user name is 1..64 of A-Z a-z 0-9 . _ -");
      }
    }
  }
}

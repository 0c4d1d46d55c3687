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
 * @param throttle how wrong passwords slow down guessing
 */
public record AuthSettings(
    JwtSettings jwt, Map<String, StaticUser> users, ThrottleSettings throttle)
    implements SelfChecking {

  public AuthSettings {
    users = Map.copyOf(users);
  }

  /** With the default throttle. */
  public AuthSettings(JwtSettings jwt, Map<String, StaticUser> users) {
    this(jwt, users, ThrottleSettings.defaults());
  }

  /**
   * No JWT and no users: nobody can sign in until a deployment configures tokens or users (the
   * demo, conf/demo.yaml, configures development users explicitly).
   */
  public static AuthSettings defaults() {
    return new AuthSettings(JwtSettings.defaults(), Map.of());
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

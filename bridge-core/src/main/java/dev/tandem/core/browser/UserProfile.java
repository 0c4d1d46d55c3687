package dev.tandem.core.browser;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a signed-in browser user is beyond its name, as the user directory or the token says: a
 * display name and the user's own phone number (a DID). Trunks may present either (see {@link
 * dev.tandem.core.sip.TrunkIdentity}).
 */
public record UserProfile(String user, Optional<String> displayName, Optional<String> number) {
  public UserProfile {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(number, "number");
  }

  /** A user known by name only. */
  public static UserProfile of(String user) {
    return new UserProfile(user, Optional.empty(), Optional.empty());
  }
}

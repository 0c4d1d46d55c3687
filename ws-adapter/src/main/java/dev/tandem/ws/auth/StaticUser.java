package dev.tandem.ws.auth;

import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.SelfChecking;
import java.util.Optional;

/**
 * A development user from the configuration: its password, and what the user directory says about
 * it (its own number, a DID; its display name), which trunks may present (routing destinations'
 * {@code from}).
 */
public record StaticUser(
    @NotBlank String password, Optional<String> number, Optional<String> displayName)
    implements SelfChecking {

  /** A user with a password and nothing more. */
  public StaticUser(String password) {
    this(password, Optional.empty(), Optional.empty());
  }

  @Override
  public void check(Problems problems) {
    number
        .filter(n -> !UserProfile.NUMBER.matcher(n).matches())
        .ifPresent(
            n ->
                problems.add(
                    "number", "must be digits with an optional leading +, not '" + n + "'"));
    displayName
        .filter(n -> !UserProfile.displayName(n).equals(Optional.of(n)))
        .ifPresent(
            n ->
                problems.add(
                    "display-name",
                    "must be 1.."
                        + UserProfile.MAX_DISPLAY_NAME
                        + " characters without control characters"));
  }

  /** What the directory says about {@code user}. */
  UserProfile profile(String user) {
    return new UserProfile(user, displayName, number);
  }

  @Override
  public String toString() {
    return "StaticUser[password=***"
        + number.map(n -> ", number " + n).orElse("")
        + displayName.map(n -> ", display-name " + n).orElse("")
        + "]";
  }
}

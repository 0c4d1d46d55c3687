package dev.tandem.ws.auth;

import dev.tandem.core.browser.UserProfile;
import java.time.Instant;
import java.util.Optional;

/** The outcome of authenticating: who, or why not. */
public sealed interface AuthResult {

  /**
   * @param expiresAt when the token expires; empty for a development user
   * @param profile the user's display name and number (user directory or token claims)
   */
  record Authenticated(String user, Optional<Instant> expiresAt, UserProfile profile)
      implements AuthResult {
    /** A user known by name only. */
    public Authenticated(String user, Optional<Instant> expiresAt) {
      this(user, expiresAt, UserProfile.of(user));
    }
  }

  /** Refused, with a reason fit to show the client (never which part of a password was wrong). */
  record Refused(String reason) implements AuthResult {}
}

package dev.tandem.ws.auth;

import dev.tandem.core.browser.UserProfile;
import java.time.Duration;
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

  /**
   * Refused without looking at the password: too many wrong passwords for the user or from the
   * address ({@link LoginThrottle}).
   *
   * @param retryAfter how long until a login may be tried again
   */
  record Throttled(Duration retryAfter) implements AuthResult {
    /** The reason shown to the client, with the wait in whole seconds (at least 1). */
    public String reason() {
      return "too many failed logins: retry in " + seconds() + " s";
    }

    /** The wait rounded up to whole seconds, at least 1 (HTTP Retry-After). */
    public long seconds() {
      return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
  }
}

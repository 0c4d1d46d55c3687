package dev.tandem.ws.auth;

import java.time.Instant;
import java.util.Optional;

/** The outcome of authenticating: who, or why not. */
public sealed interface AuthResult {

  /**
   * @param expiresAt when the token expires; empty for a development user
   */
  record Authenticated(String user, Optional<Instant> expiresAt) implements AuthResult {}

  /** Refused, with a reason fit to show the client (never which part of a password was wrong). */
  record Refused(String reason) implements AuthResult {}
}

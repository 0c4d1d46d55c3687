package dev.tandem.core.call;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether the switchboard takes new sessions and calls: open; draining (an administrator asked the
 * bridge to wind down: calls in progress and resumed sessions go on, nothing new starts, and a SIP
 * peer is told when to try again); or stopping. The one place where the refusal's words are.
 *
 * @param refusedBecause why new sessions and calls are refused; empty while open
 * @param retryAfter what a SIP peer's 503 says about trying again (RFC 3261 §20.33)
 */
record Intake(Optional<String> refusedBecause, Optional<Duration> retryAfter) {
  static final Intake OPEN = new Intake(Optional.empty(), Optional.empty());
  static final Intake STOPPING =
      new Intake(Optional.of("the bridge is stopping"), Optional.empty());

  static Intake draining(Duration retryAfter) {
    return new Intake(
        Optional.of("the bridge is draining: no new sessions or calls, calls in progress go on"),
        Optional.of(retryAfter));
  }

  boolean isOpen() {
    return refusedBecause.isEmpty();
  }
}

package dev.tandem.core.registrar;

import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.SipTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered contact of an account (RFC 3261 §10.3): the Contact URI the phone gave, where its
 * REGISTER came from (INVITEs go there, so that a phone behind NAT is reached on the address it
 * registered from), and until when.
 *
 * @param callId and {@code cseq}: the REGISTER that last refreshed it, to refuse older ones
 */
public record Binding(
    String account,
    String contact,
    Destination.Transport transport,
    String sourceHost,
    int sourcePort,
    Instant expires,
    String callId,
    long cseq) {
  public Binding {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(contact, "contact");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(sourceHost, "sourceHost");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(callId, "callId");
  }

  /**
   * Whole seconds left at {@code now}, rounded up (a fresh 120 s binding says 120), never negative.
   */
  public long secondsLeft(Instant now) {
    return Math.max(0, (Duration.between(now, expires).toMillis() + 999) / 1000);
  }

  /** How the destinations of registered phones are named ("phone 1001"). */
  public static final String DESTINATION_PREFIX = "phone ";

  /** Whether {@code destination} is a registered phone's (reached where it registered from). */
  public static boolean isRegisteredPhone(Destination destination) {
    return destination.name().startsWith(DESTINATION_PREFIX);
  }

  /** The INVITE target: the contact as Request-URI, sent to the address it registered from. */
  public SipTarget target() {
    return new SipTarget(
        new Destination(
            DESTINATION_PREFIX + account, sourceHost, sourcePort, transport, Optional.empty()),
        contact);
  }
}

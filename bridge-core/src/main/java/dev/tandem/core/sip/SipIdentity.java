package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a browser user is toward one SIP destination (upstream mode): the address of record its
 * INVITEs come from, and the credentials that answer the destination's challenges instead of the
 * destination's own.
 */
public record SipIdentity(String fromUri, Optional<Destination.DigestCredentials> credentials) {
  public SipIdentity {
    Objects.requireNonNull(fromUri, "fromUri");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** Where identities come from; by default nobody has one. */
  public interface Directory {
    Directory NONE = (user, destination) -> Optional.empty();

    /** The identity of {@code user} toward {@code destination}, if it has its own there. */
    Optional<SipIdentity> identity(String user, Destination destination);
  }
}

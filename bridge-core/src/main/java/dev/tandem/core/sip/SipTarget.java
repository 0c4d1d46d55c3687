package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one INVITE goes: the next hop and the Request-URI, and {@code fromUri} when the caller has
 * its own identity there (upstream mode).
 */
public record SipTarget(Destination destination, String requestUri, Optional<String> fromUri) {
  public SipTarget {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(fromUri, "fromUri");
  }

  public SipTarget(Destination destination, String requestUri) {
    this(destination, requestUri, Optional.empty());
  }
}

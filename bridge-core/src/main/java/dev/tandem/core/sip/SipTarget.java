package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one INVITE goes: the next hop and the Request-URI, and {@code from}, who the caller is
 * there, once the dialler has decided it (absent: the caller's name at the bridge).
 */
public record SipTarget(Destination destination, String requestUri, Optional<CallerId> from) {
  public SipTarget {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(from, "from");
  }

  public SipTarget(Destination destination, String requestUri) {
    this(destination, requestUri, Optional.empty());
  }
}

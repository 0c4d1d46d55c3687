package dev.tandem.core.sip;

import java.util.Objects;

/** Where one INVITE goes: the next hop and the Request-URI. */
public record SipTarget(Destination destination, String requestUri) {
  public SipTarget {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(requestUri, "requestUri");
  }
}

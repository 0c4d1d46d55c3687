package dev.tandem.core.registrar;

import dev.tandem.core.sip.Destination;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An authenticated REGISTER as the location service needs it. Expiry times are already within the
 * registrar's bounds.
 *
 * @param wildcard {@code Contact: *} (with {@code Expires: 0}): remove every binding
 */
public record RegisterRequest(
    String callId,
    long cseq,
    boolean wildcard,
    List<ContactUpdate> contacts,
    Destination.Transport transport,
    String sourceHost,
    int sourcePort) {
  public RegisterRequest {
    Objects.requireNonNull(callId, "callId");
    contacts = List.copyOf(contacts);
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(sourceHost, "sourceHost");
  }

  /** One Contact of the REGISTER and how long it is to stay; zero removes it. */
  public record ContactUpdate(String uri, Duration expires) {
    public ContactUpdate {
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(expires, "expires");
    }
  }
}

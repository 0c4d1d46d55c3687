package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * A configured SIP destination: a PBX or trunk that INVITEs are sent to, with the digest
 * credentials to answer its 401/407 challenges.
 */
public record Destination(
    String name,
    String host,
    int port,
    Transport transport,
    Optional<DigestCredentials> credentials) {
  public Destination {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** SIP transports the bridge speaks. */
  public enum Transport {
    UDP,
    TCP
  }

  /** A user name and password for digest authentication (RFC 3261 §22, RFC 8760). */
  public record DigestCredentials(String username, String password) {
    @Override
    public String toString() {
      return "DigestCredentials[username=" + username + ", password=***]";
    }
  }
}

package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * A configured SIP destination: a PBX or trunk that INVITEs are sent to (at {@code host:port}, the
 * next hop), with the digest credentials to answer its 401/407 challenges, how it takes DTMF, the
 * {@code domain} it serves (the Request-URI and To of a dialled number are {@code
 * sip:<dialled>@<domain>} when present, {@code sip:<dialled>@<host:port>} otherwise) and how
 * callers are presented to it ({@link TrunkIdentity}).
 */
public record Destination(
    String name,
    String host,
    int port,
    Transport transport,
    Optional<DigestCredentials> credentials,
    DtmfMode dtmf,
    Optional<String> domain,
    TrunkIdentity identity) {
  public Destination {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(dtmf, "dtmf");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(identity, "identity");
  }

  /** A destination without a domain of its own, presenting callers the default way. */
  public Destination(
      String name,
      String host,
      int port,
      Transport transport,
      Optional<DigestCredentials> credentials,
      DtmfMode dtmf) {
    this(name, host, port, transport, credentials, dtmf, Optional.empty(), TrunkIdentity.DEFAULT);
  }

  /** The same destination answering challenges with {@code other} credentials. */
  public Destination withCredentials(Optional<DigestCredentials> other) {
    return new Destination(name, host, port, transport, other, dtmf, domain, identity);
  }

  /** A destination that takes DTMF the way its SDP says ({@link DtmfMode#AUTO}). */
  public Destination(
      String name,
      String host,
      int port,
      Transport transport,
      Optional<DigestCredentials> credentials) {
    this(name, host, port, transport, credentials, DtmfMode.AUTO);
  }

  /** How DTMF goes to a destination. */
  public enum DtmfMode {
    /** RFC 4733 telephone-events when its SDP has telephone-event/8000, SIP INFO otherwise. */
    AUTO,
    /** Always RFC 4733 in the media. */
    RFC4733,
    /** Always SIP INFO ({@code application/dtmf-relay}). */
    INFO
  }

  /** SIP transports the bridge speaks. */
  public enum Transport {
    UDP,
    TCP,
    TLS
  }

  /** A user name and password for digest authentication (RFC 3261 §22, RFC 8760). */
  public record DigestCredentials(String username, String password) {
    @Override
    public String toString() {
      return "DigestCredentials[username=" + username + ", password=***]";
    }
  }
}

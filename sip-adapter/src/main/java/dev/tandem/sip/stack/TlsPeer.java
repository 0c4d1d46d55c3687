package dev.tandem.sip.stack;

import java.util.Optional;

/**
 * The owner of a client transaction that may open a TLS connection: the host the peer's certificate
 * must name (RFC 5922 §7.2), or empty when only its chain is checked (phones that registered to the
 * bridge, reached at the address they came from).
 */
public interface TlsPeer {
  Optional<String> tlsHost();
}

package dev.tandem.sip;

import java.util.Optional;

/**
 * The {@code sip.tls} section: the certificate a TLS listen point presents and whom the bridge
 * trusts when it connects over TLS.
 *
 * @param certificate PEM file with the bridge's certificate, then its chain
 * @param privateKey PEM file with its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY})
 * @param caFile PEM file with the CA certificates that TLS peers (trunks, PBXs) must chain to;
 *     absent: the JDK's trusted CAs. Verification cannot be turned off.
 */
public record TlsSettings(
    Optional<String> certificate, Optional<String> privateKey, Optional<String> caFile) {

  public static TlsSettings defaults() {
    return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty());
  }
}

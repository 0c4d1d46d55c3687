package dev.tandem.sip.stack;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * JAIN-SIP's hook right after a TLS handshake the bridge started: the peer's certificate (whose
 * chain JAIN-SIP has already verified) must also name the host the bridge meant to reach, as a
 * subjectAltName IP address, DNS name (a leading {@code *.} matches one label) or {@code sip:} URI
 * (RFC 5922 §7.2). A certificate that does not is refused and nothing is sent. Instantiated by
 * JAIN-SIP by its class name.
 */
public final class TlsNameCheck implements TlsSecurityPolicy {
  private static final int DNS = 2;
  private static final int URI = 6;
  private static final int IP = 7;

  public TlsNameCheck() {}

  @Override
  public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
    Optional<String> host =
        transaction != null && transaction.getApplicationData() instanceof TlsPeer peer
            ? peer.tlsHost()
            : Optional.empty();
    if (host.isEmpty()) {
      return;
    }
    try {
      Certificate[] chain = transaction.getPeerCertificates();
      if (chain.length == 0
          || !(chain[0] instanceof X509Certificate leaf)
          || !names(leaf, host.get())) {
        throw new SecurityException("the TLS certificate of the peer does not name " + host.get());
      }
    } catch (SSLPeerUnverifiedException e) {
      throw new SecurityException("the TLS peer presented no certificate", e);
    }
  }

  /** Whether {@code certificate}'s subjectAltNames include {@code host}. */
  static boolean names(X509Certificate certificate, String host) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    String wanted = host.toLowerCase(Locale.ROOT);
    boolean ip = wanted.matches("[0-9.]+") || wanted.contains(":");
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      String value = String.valueOf(name.get(1)).toLowerCase(Locale.ROOT);
      if (ip && type == IP && sameAddress(value, wanted)) {
        return true;
      }
      if (!ip && type == DNS && dnsMatches(value, wanted)) {
        return true;
      }
      if (!ip && type == URI && (value.equals("sip:" + wanted) || value.equals("sips:" + wanted))) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return pattern.equals(host);
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return InetAddress.getByName(a)
          .equals(InetAddress.getByName(b.replace("[", "").replace("]", "")));
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}

package dev.tandem.sip.stack;

import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.sip.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key and trust stores JAIN-SIP's TLS layer reads from files: built at start from the PEM files
 * of {@code sip.tls} into PKCS#12 files in a private temporary directory (owner-only, deleted at
 * exit), with a random password. JAIN-SIP verifies TLS peers against the trust store (chain and
 * validity), {@link TlsNameCheck} the name; the bridge does not ask SIP phones for client
 * certificates.
 */
final class TlsStores {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private TlsStores() {}

  /** Adds the TLS properties of the stack, from {@code tls}. */
  static void configure(TlsSettings tls, Properties properties) throws StartupException {
    try {
      Path dir =
          Files.createTempDirectory(
              "tandem-tls",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      dir.toFile().deleteOnExit();
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      char[] password = HexFormat.of().formatHex(random).toCharArray();

      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      List<Certificate> chain = certificates(Path.of(tls.certificate().orElseThrow()));
      PrivateKey key = privateKey(Path.of(tls.privateKey().orElseThrow()));
      keys.setKeyEntry("tandem", key, password, chain.toArray(Certificate[]::new));
      Path keyFile = save(keys, dir.resolve("keys.p12"), password);

      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<Certificate> cas =
          tls.caFile().isPresent() ? certificates(Path.of(tls.caFile().get())) : jdkCas();
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca-" + i, cas.get(i));
      }
      Path trustFile = save(trust, dir.resolve("trust.p12"), password);

      properties.setProperty("javax.net.ssl.keyStore", keyFile.toString());
      properties.setProperty("javax.net.ssl.keyStorePassword", new String(password));
      properties.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
      properties.setProperty("javax.net.ssl.trustStore", trustFile.toString());
      properties.setProperty("javax.net.ssl.trustStorePassword", new String(password));
      properties.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
      properties.setProperty(
          "gov.nist.javax.sip.TLS_SECURITY_POLICY", TlsNameCheck.class.getName());
      properties.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2,TLSv1.3");
      // JAIN-SIP's own default list is RSA key exchange and CBC only: no ECDSA certificate, no
      // forward secrecy. These are the TLS 1.3 suites and TLS 1.2's ECDHE AEAD suites.
      properties.setProperty(
          "gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", CIPHER_SUITES));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new StartupException("sip tls", StartupException.rootMessage(e), e);
    }
  }

  private static Path save(KeyStore store, Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    file.toFile().deleteOnExit();
    return file;
  }

  /** Every certificate of a PEM file, in order. */
  static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      List<Certificate> certificates =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException(pem + " holds no certificate");
      }
      return certificates;
    }
  }

  /** An unencrypted PKCS#8 private key (RSA, EC or Ed25519) from a PEM file. */
  static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(text);
    if (!m.find()) {
      throw new GeneralSecurityException(
          pem
              + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException(pem + ": not an RSA, EC or Ed25519 key");
  }

  /** The JDK's trusted CAs. */
  private static List<Certificate> jdkCas() throws IOException, GeneralSecurityException {
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    KeyStore store = KeyStore.getInstance(cacerts.toFile(), "changeit".toCharArray());
    List<Certificate> cas = new ArrayList<>();
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isCertificateEntry(alias)) {
        cas.add(store.getCertificate(alias));
      }
    }
    return cas;
  }
}

package dev.tandem.e2e;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and certificates for 127.0.0.1, as PEM files, for the TLS tests. */
final class TestCertificates {
  /** A CA: its certificate and key. */
  record Ca(X509Certificate certificate, KeyPair keys, Path pem) {}

  /** A leaf certificate signed by a CA: the certificate, the PKCS#8 key, both in one file. */
  record Leaf(Path certificate, Path privateKey, Path combined) {}

  private TestCertificates() {}

  static Ca ca(Path dir, String name) throws Exception {
    KeyPair keys = keys();
    X500Name subject = new X500Name("CN=" + name);
    X509Certificate cert =
        sign(
            new JcaX509v3CertificateBuilder(
                    subject, BigInteger.ONE, from(), until(), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
            keys);
    Path pem = dir.resolve(name + "-ca.pem");
    Files.writeString(pem, pem("CERTIFICATE", cert.getEncoded()));
    return new Ca(cert, keys, pem);
  }

  /** A certificate for 127.0.0.1 (IP and DNS names), signed by {@code ca}. */
  static Leaf leaf(Path dir, String name, Ca ca) throws Exception {
    return leaf(
        dir,
        name,
        ca,
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.dNSName, "localhost"));
  }

  /** A certificate naming only {@code names}, signed by {@code ca}. */
  static Leaf leaf(Path dir, String name, Ca ca, GeneralName... names) throws Exception {
    KeyPair keys = keys();
    X509Certificate cert =
        sign(
            new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                    BigInteger.valueOf(System.nanoTime()),
                    from(),
                    until(),
                    new X500Name("CN=" + name),
                    keys.getPublic())
                .addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(names)),
            ca.keys());
    String certPem = pem("CERTIFICATE", cert.getEncoded());
    String keyPem = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    Path certificate = dir.resolve(name + "-cert.pem");
    Path key = dir.resolve(name + "-key.pem");
    Path combined = dir.resolve(name + ".pem");
    Files.writeString(certificate, certPem);
    Files.writeString(key, keyPem);
    Files.writeString(combined, certPem + keyPem);
    return new Leaf(certificate, key, combined);
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(
      org.bouncycastle.cert.X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(2)));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}

package dev.tandem.media.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The relay's DTLS identity: a self-signed ECDSA P-256 certificate made at start (WebRTC
 * authenticates it by the fingerprint in the SDP, RFC 8827 §6.5, not by a CA), with the SHA-256
 * fingerprint as {@code a=fingerprint} carries it.
 */
public final class DtlsCertificate {
  private final byte[] encoded;
  private final AsymmetricKeyParameter privateKey;
  private final String fingerprint;

  private DtlsCertificate(byte[] encoded, AsymmetricKeyParameter privateKey) {
    this.encoded = encoded;
    this.privateKey = privateKey;
    this.fingerprint = sha256Fingerprint(encoded);
  }

  /** A new key pair and certificate, valid from a day ago for 30 days. */
  public static DtlsCertificate generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      X500Name name = new X500Name("CN=tandem");
      Instant now = Instant.now();
      byte[] der =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(64, new SecureRandom()),
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(Duration.ofDays(30))),
                  name,
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
              .getEncoded();
      return new DtlsCertificate(der, PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make the DTLS certificate: " + e.getMessage(), e);
    }
  }

  /** {@code sha-256 AB:CD:...} of a DER certificate, upper-case hex (RFC 8122 §5). */
  public static String sha256Fingerprint(byte[] der) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(der);
      String hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
      return "sha-256 " + hex.toUpperCase(Locale.ROOT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The DER certificate. */
  public byte[] encoded() {
    return encoded.clone();
  }

  AsymmetricKeyParameter privateKey() {
    return privateKey;
  }

  /** {@code sha-256 AB:CD:...}, the value of {@code a=fingerprint}. */
  public String fingerprint() {
    return fingerprint;
  }
}

package dev.tandem.ws.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads public keys from PEM text with the JDK alone. */
final class PublicKeys {
  private PublicKeys() {}

  /** An Ed25519 public key from {@code -----BEGIN PUBLIC KEY-----} PEM (or its bare base64). */
  static PublicKey ed25519(String pem) {
    String base64 =
        pem.replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not PEM: the key is not base64");
    }
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "is not an Ed25519 public key (X.509 SubjectPublicKeyInfo PEM)");
    }
  }
}

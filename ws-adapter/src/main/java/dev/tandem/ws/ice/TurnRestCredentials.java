package dev.tandem.ws.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials (draft-uberti-behave-turn-rest §2.2, coturn {@code
 * use-auth-secret}): the username is {@code <expiry epoch seconds>:<user>}, the password
 * base64(HMAC-SHA1(secret, username)). The TURN server recomputes the password and refuses an
 * expired username, so the bridge and coturn share nothing but the secret.
 */
public final class TurnRestCredentials {
  private TurnRestCredentials() {}

  public static String username(Instant expiry, String user) {
    return expiry.getEpochSecond() + ":" + user;
  }

  public static String password(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}

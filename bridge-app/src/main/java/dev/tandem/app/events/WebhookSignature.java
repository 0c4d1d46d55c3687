package dev.tandem.app.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook delivery proves it comes from this bridge, and is fresh: {@value #SIGNATURE}
 * carries {@code sha256=} and the hex HMAC-SHA256, keyed with the shared secret, of the {@value
 * #TIMESTAMP} header's value (Unix seconds when the delivery was sent), a {@code .}, and the raw
 * body bytes. A receiver computes the same, compares in constant time, and refuses a timestamp too
 * far from its own clock (a replayed delivery). docs/events.md shows a receiver.
 */
public final class WebhookSignature {
  public static final String SIGNATURE = "X-Tandem-Signature";
  public static final String TIMESTAMP = "X-Tandem-Timestamp";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public WebhookSignature(String secret) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
  }

  /** The {@value #SIGNATURE} value for a body sent at {@code timestamp} (Unix seconds). */
  public String sign(long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      mac.update(body);
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }

  /** Whether {@code signature} is this key's for the timestamp and body (constant time). */
  public boolean verify(String timestamp, byte[] body, String signature) {
    long at;
    try {
      at = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(at, body).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }
}

package dev.tandem.sip.registrar;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless digest nonces: the issue time and an HMAC of it under a key made at start, so that any
 * nonce this bridge issued can be checked without remembering it, and a forged or altered one
 * cannot pass. A nonce older than the lifetime is stale: the client is challenged again with {@code
 * stale=true} and retries without asking its user.
 */
final class Nonces {
  enum Check {
    FRESH,
    STALE,
    FORGED
  }

  private final byte[] key = new byte[32];
  private final Duration lifetime;
  private final Supplier<Instant> clock;

  Nonces(Duration lifetime, Supplier<Instant> clock) {
    new SecureRandom().nextBytes(key);
    this.lifetime = lifetime;
    this.clock = clock;
  }

  String issue() {
    long millis = clock.get().toEpochMilli();
    ByteBuffer b = ByteBuffer.allocate(8 + 16);
    b.putLong(millis).put(mac(millis));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  Check check(String nonce) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return Check.FORGED;
    }
    if (raw.length != 24) {
      return Check.FORGED;
    }
    long millis = ByteBuffer.wrap(raw).getLong();
    if (!MessageDigest.isEqual(mac(millis), Arrays.copyOfRange(raw, 8, 24))) {
      return Check.FORGED;
    }
    Instant issued = Instant.ofEpochMilli(millis);
    return issued.plus(lifetime).isBefore(clock.get()) ? Check.STALE : Check.FRESH;
  }

  private byte[] mac(long millis) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(8).putLong(millis).array()), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}

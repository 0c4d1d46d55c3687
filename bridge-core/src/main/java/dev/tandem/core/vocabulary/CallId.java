package dev.tandem.core.vocabulary;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/** A call's id, unguessable because a browser names calls by it. */
public record CallId(String value) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public CallId {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("a call id is 1..64 of A-Z a-z 0-9 _ -");
    }
  }

  public static CallId random() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return new CallId(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
  }

  @Override
  public String toString() {
    return value;
  }
}

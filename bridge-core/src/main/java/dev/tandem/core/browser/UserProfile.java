package dev.tandem.core.browser;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a signed-in browser user is beyond its name, as the user directory or the token says: a
 * display name and the user's own phone number (a DID). Trunks may present either (see {@link
 * dev.tandem.core.sip.TrunkIdentity}).
 */
public record UserProfile(String user, Optional<String> displayName, Optional<String> number) {
  /** A user's number: E.164 ({@code +15551230001}) or national digits, nothing else. */
  public static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{1,32}");

  /** The longest display name kept. */
  public static final int MAX_DISPLAY_NAME = 64;

  public UserProfile {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(number, "number");
  }

  /**
   * {@code text} as a number: visual separators (space, {@code - . ( )}, RFC 3966 §5.1.1) dropped,
   * then it must match {@link #NUMBER}; empty when it does not.
   */
  public static Optional<String> number(String text) {
    String digits = text.replaceAll("[\\s.()-]", "");
    return NUMBER.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
  }

  /**
   * {@code text} as a display name: control characters dropped, at most {@link #MAX_DISPLAY_NAME}
   * characters; empty when nothing is left.
   */
  public static Optional<String> displayName(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "").strip();
    if (clean.length() > MAX_DISPLAY_NAME) {
      clean = clean.substring(0, MAX_DISPLAY_NAME).strip();
    }
    return clean.isEmpty() ? Optional.empty() : Optional.of(clean);
  }

  /** A user known by name only. */
  public static UserProfile of(String user) {
    return new UserProfile(user, Optional.empty(), Optional.empty());
  }
}

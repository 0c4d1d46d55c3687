package dev.tandem.core.inbound;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How called numbers are written in E.164 ({@code +} and digits), so that {@code +15551234567},
 * {@code 15551234567}, {@code tel:+1-555-123-4567} and {@code sip:+1 (555) 123 4567@host} are one
 * number:
 *
 * <ol>
 *   <li>a {@code tel:}, {@code sip:} or {@code sips:} scheme, the host part ({@code @...}) and URI
 *       parameters ({@code ;...}) go; so do the visual separators {@code - . ( ) /} and spaces (RFC
 *       3966 §5.1.1);
 *   <li>{@code +digits}: international already;
 *   <li>the international prefix (default {@code 00}) then digits: {@code +} and the digits;
 *   <li>the national prefix (default {@code 0}) then digits, with a default country code: {@code
 *       +}, the country code and the digits (a national number);
 *   <li>other digits: with a default country code, the code is put in front unless the digits
 *       already begin with it; without one they are taken as international ({@code 15551234567} →
 *       {@code +15551234567}).
 * </ol>
 *
 * Anything else (a name such as {@code alice}, {@code *98}) is not a number.
 *
 * @param countryCode the default country code for national numbers (digits, no {@code +})
 * @param internationalPrefix what dials out of the country ({@code 00}; {@code 011} in the NANP)
 * @param nationalPrefix the trunk prefix of national numbers ({@code 0}; empty: none)
 */
public record NumberPlan(
    Optional<String> countryCode, String internationalPrefix, String nationalPrefix) {
  private static final Pattern DIGITS = Pattern.compile("[0-9]*");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()/]");

  public NumberPlan {
    Objects.requireNonNull(countryCode, "countryCode");
    Objects.requireNonNull(internationalPrefix, "internationalPrefix");
    Objects.requireNonNull(nationalPrefix, "nationalPrefix");
    countryCode.ifPresent(
        c -> {
          if (c.isEmpty() || c.length() > 3 || !DIGITS.matcher(c).matches() || c.startsWith("0")) {
            throw new IllegalArgumentException("a country code is 1 to 3 digits, not " + c);
          }
        });
    if (internationalPrefix.isEmpty() || !DIGITS.matcher(internationalPrefix).matches()) {
      throw new IllegalArgumentException(
          "the international prefix is digits: " + internationalPrefix);
    }
    if (!DIGITS.matcher(nationalPrefix).matches()) {
      throw new IllegalArgumentException("the national prefix is digits: " + nationalPrefix);
    }
  }

  /** No default country code, {@code 00} and {@code 0}. */
  public static NumberPlan defaults() {
    return new NumberPlan(Optional.empty(), "00", "0");
  }

  /** The E.164 form of {@code raw}, or empty when it is not a telephone number. */
  public Optional<String> normalise(String raw) {
    return normalise(raw, DIGITS);
  }

  /**
   * The same steps for a pattern of {@link NumberPattern}: {@code digitLike} says which characters
   * count as digits there.
   */
  Optional<String> normalise(String raw, Pattern digitLike) {
    String text = bare(raw);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.startsWith("+")) {
      String rest = text.substring(1);
      return usable(rest, digitLike) ? Optional.of("+" + rest) : Optional.empty();
    }
    if (!usable(text, digitLike)) {
      return Optional.empty();
    }
    if (text.startsWith(internationalPrefix) && text.length() > internationalPrefix.length()) {
      return Optional.of("+" + text.substring(internationalPrefix.length()));
    }
    if (countryCode.isPresent()) {
      String cc = countryCode.get();
      if (!nationalPrefix.isEmpty()
          && text.startsWith(nationalPrefix)
          && text.length() > nationalPrefix.length()) {
        return Optional.of("+" + cc + text.substring(nationalPrefix.length()));
      }
      return Optional.of(text.startsWith(cc) ? "+" + text : "+" + cc + text);
    }
    return Optional.of("+" + text);
  }

  private static boolean usable(String text, Pattern digitLike) {
    return !text.isEmpty() && text.length() <= 32 && digitLike.matcher(text).matches();
  }

  /** Without scheme, host, parameters and visual separators. */
  private static String bare(String raw) {
    String text = raw.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    for (String scheme : new String[] {"tel:", "sips:", "sip:"}) {
      if (lower.startsWith(scheme)) {
        text = text.substring(scheme.length());
        break;
      }
    }
    int at = text.indexOf('@');
    if (at >= 0) {
      text = text.substring(0, at);
    }
    int semicolon = text.indexOf(';');
    if (semicolon >= 0) {
      text = text.substring(0, semicolon);
    }
    return SEPARATORS.matcher(text).replaceAll("");
  }
}

package dev.tandem.core.inbound;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A called number, or a pattern of them, in the inbound table: written as a number (any form that
 * {@link NumberPlan} normalises) where {@code X} stands for any one digit and a final {@code *} for
 * any further digits, none included: {@code +1555123XXXX}, {@code +4930*}. The more literal digits
 * a pattern has, the more specific it is (with as many, one without {@code *} is more specific); an
 * exact number is the most specific of all.
 */
public final class NumberPattern {
  private static final Pattern DIGITS_OR_X = Pattern.compile("[0-9X]*\\*?");

  private final String text;
  private final String fixed;
  private final boolean open;
  private final int literals;

  private NumberPattern(String text) {
    this.text = text;
    this.open = text.endsWith("*");
    this.fixed = text.substring(1, open ? text.length() - 1 : text.length());
    this.literals = (int) fixed.chars().filter(Character::isDigit).count();
  }

  /**
   * Parses an entry of the table.
   *
   * @throws IllegalArgumentException with the reason, when {@code raw} is neither a number nor a
   *     pattern
   */
  public static NumberPattern parse(String raw, NumberPlan plan) {
    Objects.requireNonNull(raw, "raw");
    String upper = raw.strip().toUpperCase(Locale.ROOT);
    String normalised =
        plan.normalise(upper, DIGITS_OR_X)
            .filter(n -> n.indexOf('*') < 0 || n.indexOf('*') == n.length() - 1)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'"
                            + raw
                            + "' is not a number or pattern (digits, optionally +, X for one"
                            + " digit, a final * for the rest)"));
    if (normalised.length() < 2 || normalised.equals("+*")) {
      throw new IllegalArgumentException("'" + raw + "' has no digit");
    }
    return new NumberPattern(normalised);
  }

  /** Whether {@code e164} (as {@link NumberPlan#normalise} gives it) matches. */
  public boolean matches(String e164) {
    if (!e164.startsWith("+")) {
      return false;
    }
    String digits = e164.substring(1);
    if (open ? digits.length() < fixed.length() : digits.length() != fixed.length()) {
      return false;
    }
    for (int i = 0; i < fixed.length(); i++) {
      char p = fixed.charAt(i);
      if (p != 'X' && p != digits.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether this is one number, without wildcards. */
  public boolean exact() {
    return !open && literals == fixed.length();
  }

  /** How specific: exact numbers first, then by the count of literal digits, then closed first. */
  int specificity() {
    return exact() ? Integer.MAX_VALUE : literals * 2 + (open ? 0 : 1);
  }

  /** Whether some number matches both this and {@code other}. */
  public boolean overlaps(NumberPattern other) {
    String a = fixed;
    String b = other.fixed;
    int common = Math.min(a.length(), b.length());
    for (int i = 0; i < common; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != 'X' && y != 'X' && x != y) {
        return false;
      }
    }
    if (a.length() == b.length()) {
      return true;
    }
    // the shorter one must be open to reach the longer one's length
    return a.length() < b.length() ? open : other.open;
  }

  /**
   * Whether {@code other} makes the table ambiguous: the same number twice, or two patterns that
   * are equally specific and match a number in common (neither would win).
   */
  public boolean conflictsWith(NumberPattern other) {
    return overlaps(other) && specificity() == other.specificity();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NumberPattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The normalised form: {@code +15551234567}, {@code +1555123XXXX}, {@code +4930*}. */
  @Override
  public String toString() {
    return text;
  }
}

package dev.tandem.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=fmtp:<format> <format specific parameters>} (RFC 8866 §6.15). The parameters stay text
 * because each codec defines its own syntax ({@code 0-15} for telephone-event, {@code
 * key=value;...} for most others).
 */
public record Fmtp(String format, String parameters) {

  public static final String NAME = "fmtp";
  static final String EXPECTED = "a=fmtp needs <format> <format specific parameters>";

  public Fmtp {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(parameters, "parameters");
    if (!Syntax.isToken(format) || !Lines.isLineText(parameters)) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=fmtp:}; sloppy endpoints send an empty parameter list. */
  public static Fmtp parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    int i = 0;
    while (i < value.length() && !Syntax.isBlank(value.charAt(i))) {
      i++;
    }
    int j = i;
    while (j < value.length() && Syntax.isBlank(value.charAt(j))) {
      j++;
    }
    return new Fmtp(value.substring(0, i), value.substring(j));
  }

  /** The value of {@code name} in a {@code key=value;key=value} list, names case-insensitive. */
  public Optional<String> parameter(String name) {
    for (String pair : parameters.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
        return Optional.of(pair.substring(eq + 1).trim());
      }
    }
    return Optional.empty();
  }

  /** The same parameters for another format, used when a payload type is renumbered. */
  public Fmtp withFormat(String newFormat) {
    return new Fmtp(newFormat, parameters);
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, parameters.isEmpty() ? format : format + " " + parameters);
  }
}

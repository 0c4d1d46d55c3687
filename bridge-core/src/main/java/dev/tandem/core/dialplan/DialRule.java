package dev.tandem.core.dialplan;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One dial-plan line: what a browser dials (the whole of it) that matches {@code pattern} goes to
 * the destination named {@code destination}.
 */
public record DialRule(String name, Pattern pattern, String destination) {
  public DialRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(destination, "destination");
  }

  boolean matches(String dialled) {
    return pattern.matcher(dialled).matches();
  }
}

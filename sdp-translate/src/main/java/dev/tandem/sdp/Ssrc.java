package dev.tandem.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]} (RFC 5576 §4.1), e.g. {@code a=ssrc:378191708
 * cname:hu5CvJ4/5SXwfrTy}.
 */
public record Ssrc(long ssrc, String attribute, Optional<String> value) {

  public static final String NAME = "ssrc";
  static final String EXPECTED = "a=ssrc needs <ssrc-id> <attribute>[:<value>] with a 32-bit id";

  public Ssrc {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(value, "value");
    if (ssrc < 0
        || ssrc > 0xFFFFFFFFL
        || attribute.isEmpty()
        || !Syntax.isToken(attribute)
        || attribute.indexOf(':') >= 0
        || value.filter(v -> !Lines.isLineText(v)).isPresent()) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=ssrc:}. */
  public static Ssrc parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    int space = value.indexOf(' ');
    if (space <= 0) {
      throw new IllegalArgumentException(EXPECTED);
    }
    long id = Syntax.number(value.substring(0, space), 0xFFFFFFFFL, EXPECTED);
    String rest = value.substring(space + 1);
    int colon = rest.indexOf(':');
    return colon < 0
        ? new Ssrc(id, rest, Optional.empty())
        : new Ssrc(id, rest.substring(0, colon), Optional.of(rest.substring(colon + 1)));
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, ssrc + " " + attribute + value.map(v -> ":" + v).orElse(""));
  }
}

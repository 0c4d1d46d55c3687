package dev.tandem.sdp;

import java.util.Objects;

/** The {@code b=} line (RFC 8866 §5.8), e.g. {@code b=AS:64} or {@code b=TIAS:64000}. */
public record Bandwidth(String bwtype, long bandwidth) {

  static final String EXPECTED = "b= needs <bwtype>:<bandwidth>";

  public Bandwidth {
    Objects.requireNonNull(bwtype, "bwtype");
    if (!Syntax.isToken(bwtype) || bwtype.indexOf(':') >= 0 || bandwidth < 0) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code b=}. */
  public static Bandwidth parse(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Bandwidth(
        value.substring(0, colon),
        Syntax.number(value.substring(colon + 1), Long.MAX_VALUE, EXPECTED));
  }

  /** The text after {@code b=}. */
  public String toValue() {
    return bwtype + ":" + bandwidth;
  }
}

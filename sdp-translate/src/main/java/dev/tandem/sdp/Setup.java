package dev.tandem.sdp;

/**
 * {@code a=setup} (RFC 4145 §4, used by DTLS-SRTP through RFC 8842 §5): which side opens the DTLS
 * connection.
 */
public enum Setup {
  ACTIVE("active"),
  PASSIVE("passive"),
  ACTPASS("actpass"),
  HOLDCONN("holdconn");

  public static final String NAME = "setup";
  static final String EXPECTED = "a=setup needs active|passive|actpass|holdconn";

  private final String value;

  Setup(String value) {
    this.value = value;
  }

  /** The attribute value as RFC 4145 spells it. */
  public String attributeValue() {
    return value;
  }

  /** Parses an {@code a=setup} value. */
  public static Setup parse(String value) {
    for (Setup s : values()) {
      if (s.value.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException(EXPECTED);
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, value);
  }
}

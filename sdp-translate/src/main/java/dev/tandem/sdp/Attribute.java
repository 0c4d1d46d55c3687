package dev.tandem.sdp;

import java.util.Objects;

/**
 * One {@code a=} line (RFC 8866 §5.13), kept exactly as written so that attributes the bridge does
 * not understand survive untouched. Typed views ({@link Rtpmap}, {@link Candidate}, ...) are parsed
 * from it on demand; the attributes that have a typed view are checked when the attribute is
 * created, so a typed view of an existing attribute never fails.
 *
 * @param name the attribute name, e.g. {@code rtpmap}; never contains {@code :}
 * @param value the text after the first {@code :}, or {@code null} for a property attribute such as
 *     {@code a=rtcp-mux}; an empty string is kept apart from {@code null} ({@code a=x:} is not
 *     {@code a=x})
 */
public record Attribute(String name, String value) {

  public Attribute {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.indexOf(':') >= 0 || !Syntax.isToken(name)) {
      throw new IllegalArgumentException("a= needs <attribute>[:<value>]");
    }
    if (value != null && !Lines.isLineText(value)) {
      throw new IllegalArgumentException("a=" + name + " value must not contain CR, LF or NUL");
    }
    KnownAttributes.check(name, value);
  }

  /** A property attribute ({@code a=<name>}) such as {@code a=rtcp-mux}. */
  public static Attribute property(String name) {
    return new Attribute(name, null);
  }

  /** A value attribute ({@code a=<name>:<value>}). */
  public static Attribute of(String name, String value) {
    return new Attribute(name, Objects.requireNonNull(value, "value"));
  }

  /** Whether this is a property attribute (no {@code :value}). */
  public boolean isProperty() {
    return value == null;
  }

  /** Whether the name is {@code name}. Attribute names are compared exactly (RFC 8866 §5.13). */
  public boolean is(String name) {
    return this.name.equals(name);
  }

  /** The line as it appears in SDP, without the line ending: {@code a=name[:value]}. */
  @Override
  public String toString() {
    return value == null ? "a=" + name : "a=" + name + ":" + value;
  }
}

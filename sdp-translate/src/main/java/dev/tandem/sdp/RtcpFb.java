package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=rtcp-fb:<payload type>|* <type> [<parameters>]} (RFC 4585 §4.2), e.g. {@code
 * a=rtcp-fb:111 transport-cc} or {@code a=rtcp-fb:96 nack pli}.
 *
 * @param format a payload type number or {@code *} for all
 */
public record RtcpFb(String format, String type, Optional<String> parameters) {

  public static final String NAME = "rtcp-fb";
  static final String EXPECTED = "a=rtcp-fb needs <payload type>|* <type> [<parameters>]";

  public RtcpFb {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(parameters, "parameters");
    if (!(format.equals("*") || (Syntax.isDigits(format) && format.length() <= 3))
        || !Syntax.isToken(type)
        || parameters.filter(p -> !Lines.isLineText(p)).isPresent()) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=rtcp-fb:}. */
  public static RtcpFb parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.size() < 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    Optional<String> params =
        f.size() > 2 ? Optional.of(String.join(" ", f.subList(2, f.size()))) : Optional.empty();
    return new RtcpFb(f.get(0), f.get(1), params);
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, format + " " + type + parameters.map(p -> " " + p).orElse(""));
  }

  /** The feedback type and its parameter, without the format: what a line asks for. */
  public record Kind(String type, Optional<String> parameters) {
    public Kind {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(parameters, "parameters");
    }

    /** This feedback for {@code format}. */
    public RtcpFb at(String format) {
      return new RtcpFb(format, type, parameters);
    }
  }

  /** What this line asks for; the type is compared case-sensitively, as RFC 4585 §4.2 spells it. */
  public Kind kind() {
    return new Kind(type, parameters);
  }

  /** The same feedback for another format, used when a payload type is renumbered. */
  public RtcpFb withFormat(String newFormat) {
    return new RtcpFb(newFormat, type, parameters);
  }
}

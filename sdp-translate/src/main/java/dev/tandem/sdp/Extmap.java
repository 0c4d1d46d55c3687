package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=extmap:<id>[/<direction>] <URI> [<extension attributes>]} (RFC 8285 §8): an RTP header
 * extension the sender may use.
 */
public record Extmap(
    int id, Optional<Direction> direction, String uri, Optional<String> attributes) {

  public static final String NAME = "extmap";
  static final String EXPECTED = "a=extmap needs <id 1-4095>[/<direction>] <URI> [<attributes>]";

  public Extmap {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(attributes, "attributes");
    if (id < 1
        || id > 4095
        || !Syntax.isToken(uri)
        || attributes.filter(a -> !Lines.isLineText(a)).isPresent()) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=extmap:}. */
  public static Extmap parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.size() < 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    String head = f.get(0);
    int slash = head.indexOf('/');
    Optional<Direction> direction = Optional.empty();
    if (slash >= 0) {
      direction =
          Optional.of(
              Direction.fromAttributeName(head.substring(slash + 1))
                  .orElseThrow(() -> new IllegalArgumentException(EXPECTED)));
      head = head.substring(0, slash);
    }
    Optional<String> attrs =
        f.size() > 2 ? Optional.of(String.join(" ", f.subList(2, f.size()))) : Optional.empty();
    return new Extmap((int) Syntax.number(head, 4095, EXPECTED), direction, f.get(1), attrs);
  }

  public Attribute toAttribute() {
    return Attribute.of(
        NAME,
        id
            + direction.map(d -> "/" + d.attributeName()).orElse("")
            + " "
            + uri
            + attributes.map(a -> " " + a).orElse(""));
  }
}

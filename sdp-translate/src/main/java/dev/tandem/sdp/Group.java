package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=group:<semantics> <identification-tag>...} (RFC 5888 §5), e.g. {@code a=group:BUNDLE 0
 * 1} (RFC 9143). A group with no tags is legal and means none are bundled.
 */
public record Group(String semantics, List<String> mids) {

  public static final String NAME = "group";
  public static final String BUNDLE = "BUNDLE";
  static final String EXPECTED = "a=group needs <semantics> <mid>...";

  public Group {
    Objects.requireNonNull(semantics, "semantics");
    mids = List.copyOf(Objects.requireNonNull(mids, "mids"));
    if (!Syntax.isToken(semantics) || !mids.stream().allMatch(Syntax::isToken)) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=group:}. */
  public static Group parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.isEmpty()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Group(f.get(0), f.subList(1, f.size()));
  }

  public boolean isBundle() {
    return semantics.equals(BUNDLE);
  }

  public Attribute toAttribute() {
    return Attribute.of(
        NAME, mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids));
  }
}

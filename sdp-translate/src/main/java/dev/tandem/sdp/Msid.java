package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code a=msid:<stream id> [<track id>]} (RFC 8830 §2): which media stream a track belongs to. */
public record Msid(String streamId, Optional<String> trackId) {

  public static final String NAME = "msid";
  static final String EXPECTED = "a=msid needs <stream id> [<track id>]";

  public Msid {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(trackId, "trackId");
    if (!Syntax.isToken(streamId) || trackId.filter(t -> !Syntax.isToken(t)).isPresent()) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=msid:}. */
  public static Msid parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.isEmpty() || f.size() > 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Msid(f.get(0), f.size() == 2 ? Optional.of(f.get(1)) : Optional.empty());
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, streamId + trackId.map(t -> " " + t).orElse(""));
  }
}

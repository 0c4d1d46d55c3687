package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code m=} line (RFC 8866 §5.14): {@code <media> <port>[/<number of ports>] <proto>
 * <fmt>...}. Checked strictly: a misread port or protocol breaks the call.
 *
 * @param formats payload type numbers for RTP protocols, otherwise protocol-specific tokens such as
 *     {@code webrtc-datachannel}
 */
public record MediaLine(
    String media, int port, OptionalInt numberOfPorts, String proto, List<String> formats) {

  static final String EXPECTED = "m= needs <media> <port> <proto> <fmt>...";

  public MediaLine {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(numberOfPorts, "numberOfPorts");
    Objects.requireNonNull(proto, "proto");
    formats = List.copyOf(Objects.requireNonNull(formats, "formats"));
    if (!Syntax.isToken(media)
        || !Syntax.isToken(proto)
        || port < 0
        || port > 65535
        || (numberOfPorts.isPresent() && numberOfPorts.getAsInt() < 1)
        || formats.isEmpty()) {
      throw new IllegalArgumentException(EXPECTED);
    }
    for (String format : formats) {
      if (!Syntax.isToken(format)) {
        throw new IllegalArgumentException(EXPECTED);
      }
    }
  }

  /** Parses the text after {@code m=}. */
  public static MediaLine parse(String value) {
    List<String> f = Syntax.fields(value);
    if (f.size() < 4) {
      throw new IllegalArgumentException(EXPECTED);
    }
    String port = f.get(1);
    int slash = port.indexOf('/');
    OptionalInt count = OptionalInt.empty();
    if (slash >= 0) {
      count = OptionalInt.of((int) Syntax.number(port.substring(slash + 1), 65535, EXPECTED));
      port = port.substring(0, slash);
    }
    return new MediaLine(
        f.get(0), Syntax.port(port, EXPECTED), count, f.get(2), f.subList(3, f.size()));
  }

  public MediaLine withPort(int newPort) {
    return new MediaLine(media, newPort, numberOfPorts, proto, formats);
  }

  public MediaLine withProto(String newProto) {
    return new MediaLine(media, port, numberOfPorts, newProto, formats);
  }

  public MediaLine withFormats(List<String> newFormats) {
    return new MediaLine(media, port, numberOfPorts, proto, newFormats);
  }

  /** The text after {@code m=}. */
  public String toValue() {
    StringBuilder sb = new StringBuilder(media).append(' ').append(port);
    numberOfPorts.ifPresent(n -> sb.append('/').append(n));
    sb.append(' ').append(proto);
    for (String format : formats) {
      sb.append(' ').append(format);
    }
    return sb.toString();
  }
}

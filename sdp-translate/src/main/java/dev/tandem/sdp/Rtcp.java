package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=rtcp:<port> [<nettype> <addrtype> <address>]} (RFC 3605 §2.1): where RTCP goes when it
 * is not on RTP port + 1. Checked strictly: a misread port loses RTCP.
 */
public record Rtcp(int port, Optional<Connection> address) {

  public static final String NAME = "rtcp";
  static final String EXPECTED = "a=rtcp needs <port> [IN IP4|IP6 <address>]";

  public Rtcp {
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=rtcp:}. */
  public static Rtcp parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.size() != 1 && f.size() != 4) {
      throw new IllegalArgumentException(EXPECTED);
    }
    int port = Syntax.port(f.get(0), EXPECTED);
    if (f.size() == 1) {
      return new Rtcp(port, Optional.empty());
    }
    try {
      return new Rtcp(port, Optional.of(new Connection(f.get(1), f.get(2), f.get(3))));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(EXPECTED, e);
    }
  }

  public Attribute toAttribute() {
    return Attribute.of(NAME, port + address.map(c -> " " + c.toValue()).orElse(""));
  }
}

package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The {@code c=} line (RFC 8866 §5.7): where media goes. Checked strictly, because a wrong address
 * sends a call's audio nowhere.
 *
 * @param connectionAddress an address as written, including any multicast {@code /ttl/count}
 */
public record Connection(String nettype, String addrtype, String connectionAddress) {

  static final String EXPECTED = "c= needs IN IP4|IP6 <address>";

  public Connection {
    Objects.requireNonNull(nettype, "nettype");
    Objects.requireNonNull(addrtype, "addrtype");
    Objects.requireNonNull(connectionAddress, "connectionAddress");
    if (!"IN".equals(nettype) || !Syntax.isConnectionAddress(addrtype, connectionAddress)) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code c=}. */
  public static Connection parse(String value) {
    List<String> f = Syntax.fields(value);
    if (f.size() != 3) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Connection(f.get(0), f.get(1), f.get(2));
  }

  /** {@code IN IP4 <address>} or {@code IN IP6 <address>}, chosen by the form of the address. */
  public static Connection of(String address) {
    Objects.requireNonNull(address, "address");
    return new Connection("IN", Syntax.isIp6(address) ? "IP6" : "IP4", address);
  }

  /**
   * Whether this is the unspecified address that RFC 2543 used to put a call on hold ({@code
   * 0.0.0.0}); RFC 3264 §8.4 asks answerers to still understand it.
   */
  public boolean isHoldAddress() {
    return connectionAddress.equals("0.0.0.0") || connectionAddress.equals("::");
  }

  /** The text after {@code c=}. */
  public String toValue() {
    return nettype + " " + addrtype + " " + connectionAddress;
  }
}

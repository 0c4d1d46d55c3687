package dev.tandem.core.inbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block ({@code 192.0.2.0/24}, {@code 2001:db8::/32}), or one address
 * ({@code 203.0.113.5}: a /32 or /128). An IPv4-mapped IPv6 source ({@code ::ffff:192.0.2.1})
 * matches an IPv4 block.
 */
public final class Cidr {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int bits;
  private final String text;

  private Cidr(byte[] network, int bits, String text) {
    this.network = network;
    this.bits = bits;
    this.text = text;
  }

  /**
   * Parses an address or block; never looks a name up.
   *
   * @throws IllegalArgumentException when {@code raw} is not an IP literal with an optional prefix
   *     length in range, or has host bits set beyond the prefix
   */
  public static Cidr parse(String raw) {
    Objects.requireNonNull(raw, "raw");
    String text = raw.strip();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    byte[] address = literal(host);
    int max = address.length * 8;
    int bits = max;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + raw + "': the prefix length is not a number");
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException("'" + raw + "': the prefix length is 0 to " + max);
      }
    }
    for (int i = bits; i < max; i++) {
      if ((address[i / 8] & (0x80 >>> (i % 8))) != 0) {
        throw new IllegalArgumentException(
            "'" + raw + "' has bits set beyond /" + bits + " (write the network address)");
      }
    }
    return new Cidr(address, bits, text);
  }

  /** The bytes of an IPv4 or IPv6 literal; a name is refused, never resolved. */
  static byte[] literal(String host) {
    if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException("'" + host + "' is not an IPv4 or IPv6 address");
    }
    try {
      byte[] bytes = InetAddress.getByName(host).getAddress(); // a literal: no lookup
      return bytes;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + host + "' is not an IPv4 or IPv6 address");
    }
  }

  /** The address an IPv4 or IPv6 literal (brackets allowed) stands for; empty for anything else. */
  public static java.util.Optional<InetAddress> address(String literal) {
    String host = literal.strip();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return java.util.Optional.of(InetAddress.getByAddress(literal(host)));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return java.util.Optional.empty();
    }
  }

  /** Whether {@code address} is in this block. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
      a = java.util.Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length != network.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return text;
  }
}

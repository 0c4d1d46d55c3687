package dev.tandem.sip;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host and port as SIP writes them (RFC 3261 §25.1 {@code hostport}): an IPv6 address goes in
 * brackets ({@code [::1]:5060}), everything else as it is. The one place that knows the brackets,
 * so that no code concatenates {@code host + ":" + port}.
 *
 * @param host an IPv4 or IPv6 address (without brackets) or a host name
 */
public record HostPort(String host, int port) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern NAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

  public HostPort {
    host = bare(Objects.requireNonNull(host, "host"));
  }

  /** The host and port of {@code address}, the IPv6 text in its short form (RFC 5952). */
  public static HostPort of(InetAddress address, int port) {
    return new HostPort(text(address), port);
  }

  /** The host as a SIP URI or Via writes it: IPv6 in brackets. */
  public String uriHost() {
    return uriHost(host);
  }

  /** {@code host} as a SIP URI or Via writes it: an IPv6 address in brackets. */
  public static String uriHost(String host) {
    String bare = bare(host);
    return bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare;
  }

  /** {@code host} without the brackets of an IPv6 reference ({@code [::1]} → {@code ::1}). */
  public static String bare(String host) {
    return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }

  /** Whether {@code host} is an IPv4 or IPv6 address literal (no name lookup is made). */
  public static boolean isIpLiteral(String host) {
    return literal(host).isPresent();
  }

  /** Whether {@code host} is written like a DNS host name (RFC 1123). */
  public static boolean isHostName(String host) {
    return NAME.matcher(host).matches() && !IPV4.matcher(host).matches();
  }

  /** Whether {@code host} is the IPv4 or IPv6 wildcard address (listen on every interface). */
  public static boolean isWildcard(String host) {
    return literal(host).map(InetAddress::isAnyLocalAddress).orElse(false);
  }

  /** The address {@code host} names when it is an address literal; never looks a name up. */
  public static Optional<InetAddress> literal(String host) {
    String bare = bare(host);
    boolean v6 = bare.indexOf(':') >= 0;
    if (!v6 && !IPV4.matcher(bare).matches()) {
      return Optional.empty();
    }
    try {
      // a text with ':' or a dotted quad is parsed, never resolved
      return Optional.of(InetAddress.getByName(v6 ? "[" + bare + "]" : bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The text of an address: dotted quad, or IPv6 in RFC 5952's short form without a scope. */
  public static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    // RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) becomes ::
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** {@code host:port}, IPv6 in brackets. */
  @Override
  public String toString() {
    return uriHost() + ":" + port;
  }
}

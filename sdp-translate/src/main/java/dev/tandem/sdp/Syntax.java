package dev.tandem.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The small lexical rules of RFC 8866 §9 shared by every line and attribute: numbers, ports,
 * addresses and field splitting. Each check throws {@link IllegalArgumentException} carrying what
 * was expected; the parser turns that into an {@link SdpParseException} with the line number.
 */
final class Syntax {
  private Syntax() {}

  /** Splits on runs of spaces or tabs; real endpoints sometimes double a space. */
  static List<String> fields(String value) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n && isBlank(value.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isBlank(value.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(value.substring(start, i));
      }
    }
    return out;
  }

  static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * ASCII digits only, at most {@code max}; unlike {@link Long#parseLong} no sign and no non-ASCII
   * digits, so what parses also serializes back to the same text.
   */
  static long number(String s, long max, String expected) {
    if (!isDigits(s) || s.length() > 19) {
      throw new IllegalArgumentException(expected);
    }
    long value;
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected, e);
    }
    if (value > max) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  static int port(String s, String expected) {
    return (int) number(s, 65535, expected);
  }

  /** A token (RFC 8866 §9 {@code token}) can stand alone in a field: no blanks, not empty. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code address} is a valid {@code connection-address} for {@code addrtype} (RFC 8866
   * §9): an IPv4 or IPv6 literal, optionally with the multicast {@code /ttl/count} suffixes, or a
   * host name. Never resolves anything.
   */
  static boolean isConnectionAddress(String addrtype, String address) {
    int slash = address.indexOf('/');
    String host = slash < 0 ? address : address.substring(0, slash);
    if (slash >= 0) {
      for (String part : address.substring(slash + 1).split("/", -1)) {
        if (!isDigits(part) || part.length() > 5) {
          return false;
        }
      }
    }
    if ("IP4".equals(addrtype)) {
      return isIp4(host) || isHostname(host);
    }
    if ("IP6".equals(addrtype)) {
      return isIp6(host) || isHostname(host);
    }
    return false;
  }

  /** An address as ICE candidates carry it (RFC 8839 §5.1): IPv4, IPv6 or a name (mDNS). */
  static boolean isUnicastAddress(String address) {
    return isIp4(address) || isIp6(address) || isHostname(address);
  }

  static boolean isIp4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!isDigits(part) || part.length() > 3 || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4291 §2.2 text forms, including {@code ::} and an embedded IPv4 tail. */
  static boolean isIp6(String s) {
    int lastColon = s.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    String body = s;
    String tail = s.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0) {
      if (!isIp4(tail)) {
        return false;
      }
      // the dotted quad stands for the last two groups
      body = s.substring(0, lastColon + 1) + "0:0";
    }
    int doubleColon = body.indexOf("::");
    if (doubleColon < 0) {
      return countGroups(body) == 8;
    }
    if (body.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = body.substring(0, doubleColon);
    String rest = body.substring(doubleColon + 2);
    int h = head.isEmpty() ? 0 : countGroups(head);
    int r = rest.isEmpty() ? 0 : countGroups(rest);
    return h >= 0 && r >= 0 && h + r <= 7;
  }

  /** Number of colon-separated hex groups, or -1 when one is not 1 to 4 hex digits. */
  private static int countGroups(String s) {
    String[] parts = s.split(":", -1);
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 4) {
        return -1;
      }
      for (int i = 0; i < part.length(); i++) {
        if (!isHexDigit(part.charAt(i))) {
          return -1;
        }
      }
    }
    return parts.length;
  }

  static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * A DNS name (RFC 8866 §9 {@code FQDN}, also mDNS {@code .local} names in candidates). It must
   * contain a letter, so that a mistyped dotted quad such as {@code 300.1.1.1} is not taken for a
   * name.
   */
  static boolean isHostname(String s) {
    if (s.isEmpty() || s.length() > 253 || s.startsWith(".") || s.contains("..")) {
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        letter = true;
      } else if (!(c >= '0' && c <= '9') && c != '-' && c != '.') {
        return false;
      }
    }
    return letter;
  }
}

package dev.tandem.app.config;

import java.util.regex.Pattern;

/** What the configuration accepts as a SIP domain and as the user part of a SIP URI. */
final class SipNames {
  /** A host name (RFC 1123 labels) or an IPv4 address; an IPv6 address in brackets. */
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
              + "|\\[[0-9A-Fa-f:.]{2,45}]");

  /** The unreserved characters of a SIP user part that need no escaping (RFC 3261 §25.1). */
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9+._!~*'-]{1,64}");

  private SipNames() {}

  static boolean isDomain(String text) {
    return text.length() <= 253 && DOMAIN.matcher(text).matches();
  }

  static String notADomain(String text) {
    return "must be a domain name or an IP address (no port, no scheme), not '" + text + "'";
  }

  static boolean isUser(String text) {
    return USER.matcher(text).matches();
  }

  static String notAUser(String text) {
    return "must be 1..64 of A-Z a-z 0-9 + . _ - ! ~ * ' (a SIP user part), not '" + text + "'";
  }
}

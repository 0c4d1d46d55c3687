package dev.tandem.core.sip;

import java.util.Optional;

/** What core reads from a SIP URI given as text (a From, a Refer-To). */
public final class SipUris {
  private SipUris() {}

  /**
   * The user part of a {@code sip:} or {@code sips:} URI, with or without angle brackets; empty for
   * another scheme or a URI without a user.
   */
  public static Optional<String> user(String uri) {
    String text = uri.strip();
    if (text.startsWith("<") && text.endsWith(">")) {
      text = text.substring(1, text.length() - 1);
    }
    int colon = text.indexOf(':');
    int at = text.indexOf('@');
    if (text.regionMatches(true, 0, "sip", 0, 3) && colon > 0 && at > colon + 1) {
      return Optional.of(text.substring(colon + 1, at));
    }
    return Optional.empty();
  }

  /**
   * The host (and port) of a {@code sip:} or {@code sips:} URI with a user, without parameters;
   * empty for another scheme or a URI without a user.
   */
  public static Optional<String> host(String uri) {
    if (user(uri).isEmpty()) {
      return Optional.empty();
    }
    String text = uri.strip();
    String rest = text.substring(text.indexOf('@') + 1);
    int end = rest.length();
    for (char stop : new char[] {';', '>', '?'}) {
      int at = rest.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return end == 0 ? Optional.empty() : Optional.of(rest.substring(0, end));
  }
}

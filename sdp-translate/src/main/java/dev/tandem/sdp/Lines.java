package dev.tandem.sdp;

/** What may appear inside one SDP line (RFC 8866 §9 {@code byte-string}, {@code text}). */
final class Lines {
  private Lines() {}

  /** No CR, LF or NUL: those would split or end the line when serialized. */
  static boolean isLineText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }

  static String requireLineText(String s, String expected) {
    if (s == null || !isLineText(s)) {
      throw new IllegalArgumentException(expected);
    }
    return s;
  }
}

package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;

/**
 * {@code a=crypto:<tag> <crypto-suite> <key-params> [<session-param>]...} (RFC 4568 §9.1): an SDES
 * SRTP key, as SIP endpoints offer with {@code RTP/SAVP}.
 *
 * @param keyParams e.g. {@code inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>]}
 */
public record Crypto(int tag, String suite, String keyParams, List<String> sessionParams) {

  public static final String NAME = "crypto";
  static final String EXPECTED =
      "a=crypto needs <tag> <crypto-suite> <key-params> [<session-param>]...";

  public Crypto {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(keyParams, "keyParams");
    sessionParams = List.copyOf(Objects.requireNonNull(sessionParams, "sessionParams"));
    if (tag < 0
        || !Syntax.isToken(suite)
        || !keyParams.contains(":")
        || !Syntax.isToken(keyParams)
        || !sessionParams.stream().allMatch(Syntax::isToken)) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** Parses the text after {@code a=crypto:}. */
  public static Crypto parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.size() < 3) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Crypto(
        (int) Syntax.number(f.get(0), 999_999_999, EXPECTED),
        f.get(1),
        f.get(2),
        f.subList(3, f.size()));
  }

  /**
   * The line with its key material replaced by {@code ***} (what logs and {@code tandem sdp} show):
   * {@code inline:} keys are secrets (RFC 4568 §8.1).
   */
  public String redacted() {
    StringBuilder sb =
        new StringBuilder()
            .append(tag)
            .append(' ')
            .append(suite)
            .append(' ')
            .append(redact(keyParams));
    sessionParams.forEach(p -> sb.append(' ').append(p));
    return sb.toString();
  }

  /**
   * {@code inline:<key>[|...]} with the key replaced, for each of several {@code ;}-joined keys.
   */
  static String redact(String keyParams) {
    StringBuilder out = new StringBuilder();
    for (String one : keyParams.split(";", -1)) {
      if (out.length() > 0) {
        out.append(';');
      }
      int colon = one.indexOf(':');
      int bar = one.indexOf('|');
      out.append(one, 0, colon + 1).append("***");
      if (bar > colon) {
        out.append(one.substring(bar));
      }
    }
    return out.toString();
  }

  /** Never the key: see {@link #redacted}. */
  @Override
  public String toString() {
    return "Crypto[" + redacted() + "]";
  }

  public Attribute toAttribute() {
    StringBuilder sb =
        new StringBuilder().append(tag).append(' ').append(suite).append(' ').append(keyParams);
    sessionParams.forEach(p -> sb.append(' ').append(p));
    return Attribute.of(NAME, sb.toString());
  }
}

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

  public Attribute toAttribute() {
    StringBuilder sb =
        new StringBuilder().append(tag).append(' ').append(suite).append(' ').append(keyParams);
    sessionParams.forEach(p -> sb.append(' ').append(p));
    return Attribute.of(NAME, sb.toString());
  }
}

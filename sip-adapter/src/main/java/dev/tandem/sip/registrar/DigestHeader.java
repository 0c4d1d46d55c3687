package dev.tandem.sip.registrar;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an {@code Authorization} or {@code Proxy-Authorization} header value ({@code
 * Digest username="a", realm="r", ...}), read as written: the {@code uri} must be hashed exactly as
 * the client sent it.
 */
public record DigestHeader(Map<String, String> params) {
  public DigestHeader {
    params = Map.copyOf(params);
  }

  /** Parses a header value; empty when it is not a Digest credential or cannot be read. */
  public static Optional<DigestHeader> parse(String value) {
    String v = value.strip();
    if (v.length() < 7 || !v.substring(0, 6).equalsIgnoreCase("Digest")) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    int i = 6;
    int n = v.length();
    while (i < n) {
      while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == ',' || v.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int eq = v.indexOf('=', i);
      if (eq < 0) {
        return Optional.empty();
      }
      String key = v.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      while (i < n && v.charAt(i) == ' ') {
        i++;
      }
      StringBuilder val = new StringBuilder();
      if (i < n && v.charAt(i) == '"') {
        i++;
        while (i < n && v.charAt(i) != '"') {
          if (v.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          val.append(v.charAt(i++));
        }
        if (i >= n) {
          return Optional.empty(); // unterminated quoted string
        }
        i++;
      } else {
        while (i < n && v.charAt(i) != ',') {
          val.append(v.charAt(i++));
        }
      }
      params.put(key, val.toString().strip());
    }
    return Optional.of(new DigestHeader(params));
  }

  public String get(String name) {
    return params.get(name);
  }
}

package dev.tandem.sdp;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * The {@code o=} line (RFC 8866 §5.2): who made the description and which version of it this is.
 * {@code sess-id} and {@code sess-version} stay text because stacks write numbers longer than a
 * {@code long} and nothing but the version is ever computed on.
 */
public record Origin(
    String username,
    String sessId,
    String sessVersion,
    String nettype,
    String addrtype,
    String unicastAddress) {

  static final String EXPECTED =
      "o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>";

  public Origin {
    for (String field :
        new String[] {username, sessId, sessVersion, nettype, addrtype, unicastAddress}) {
      if (field == null || !Syntax.isToken(field)) {
        throw new IllegalArgumentException(EXPECTED);
      }
    }
  }

  /** Parses the text after {@code o=}. */
  public static Origin parse(String value) {
    List<String> f = Syntax.fields(value);
    if (f.size() != 6) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Origin(f.get(0), f.get(1), f.get(2), f.get(3), f.get(4), f.get(5));
  }

  /** The same session with another version (RFC 3264 §8: each new offer or answer bumps it). */
  public Origin withSessVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("sess-version must not be negative");
    }
    return new Origin(username, sessId, Long.toString(version), nettype, addrtype, unicastAddress);
  }

  /** The version after this one; a non-numeric version (seen from sloppy stacks) restarts at 1. */
  public Origin withNextVersion() {
    String next =
        Syntax.isDigits(sessVersion)
            ? new BigInteger(sessVersion).add(BigInteger.ONE).toString()
            : "1";
    return new Origin(username, sessId, next, nettype, addrtype, unicastAddress);
  }

  /** The same origin announced from another address. */
  public Origin withAddress(Connection address) {
    Objects.requireNonNull(address, "address");
    return new Origin(
        username,
        sessId,
        sessVersion,
        address.nettype(),
        address.addrtype(),
        address.connectionAddress());
  }

  /** The text after {@code o=}. */
  public String toValue() {
    return String.join(" ", username, sessId, sessVersion, nettype, addrtype, unicastAddress);
  }
}

package dev.tandem.sdp;

/**
 * The one place that says which attributes are checked when they are read, and how. An attribute
 * listed here is parsed into its typed view as soon as it exists, so a broken {@code a=rtpmap} is
 * refused with its line number instead of failing later in the middle of a call. Attributes not
 * listed here are kept as text and never refused.
 */
final class KnownAttributes {
  private KnownAttributes() {}

  static final String MID = "mid";
  static final String PTIME = "ptime";
  static final String MAXPTIME = "maxptime";
  static final String ICE_UFRAG = "ice-ufrag";
  static final String ICE_PWD = "ice-pwd";
  static final String ICE_OPTIONS = "ice-options";
  static final String ICE_LITE = "ice-lite";
  static final String RTCP_MUX = "rtcp-mux";
  static final String END_OF_CANDIDATES = "end-of-candidates";
  static final String SCTP_PORT = "sctp-port";

  static void check(String name, String value) {
    switch (name) {
      case Rtpmap.NAME -> Rtpmap.parse(value);
      case Fmtp.NAME -> Fmtp.parse(value);
      case RtcpFb.NAME -> RtcpFb.parse(value);
      case Candidate.NAME -> Candidate.parse(value);
      case Fingerprint.NAME -> Fingerprint.parse(value);
      case Setup.NAME -> Setup.parse(value);
      case Crypto.NAME -> Crypto.parse(value);
      case Ssrc.NAME -> Ssrc.parse(value);
      case Extmap.NAME -> Extmap.parse(value);
      case Rtcp.NAME -> Rtcp.parse(value);
      case Group.NAME -> Group.parse(value);
      case Msid.NAME -> Msid.parse(value);
      case PTIME, MAXPTIME -> millis(name, value);
      case SCTP_PORT -> Syntax.port(value == null ? "" : value, "a=sctp-port needs <port>");
      case MID, ICE_UFRAG, ICE_PWD -> token(name, value);
      case ICE_OPTIONS -> {
        if (value == null || Syntax.fields(value).isEmpty()) {
          throw new IllegalArgumentException("a=ice-options needs <option>...");
        }
      }
      default -> {}
    }
  }

  /**
   * {@code a=ptime} and {@code a=maxptime} in milliseconds (RFC 8866 §6.4). RFC 4566 allowed a
   * fraction and some gateways still write {@code 20.0}; the whole milliseconds are used.
   */
  static int millis(String name, String value) {
    String expected = "a=" + name + " needs <milliseconds>";
    if (value == null) {
      throw new IllegalArgumentException(expected);
    }
    int dot = value.indexOf('.');
    String whole = dot < 0 ? value : value.substring(0, dot);
    if (dot >= 0 && !Syntax.isDigits(value.substring(dot + 1))) {
      throw new IllegalArgumentException(expected);
    }
    return (int) Syntax.number(whole, 100_000, expected);
  }

  private static void token(String name, String value) {
    if (value == null || !Syntax.isToken(value)) {
      throw new IllegalArgumentException("a=" + name + " needs a value without spaces");
    }
  }
}

package dev.tandem.sdp.translate;

import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.Fingerprint;
import dev.tandem.sdp.Setup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The relay's WebRTC side of one call (ICE-lite, DTLS-SRTP, BUNDLE and rtcp-mux on one port), as a
 * browser must see it.
 *
 * @param address the address in {@code c=} and of the relay's first host candidate (the advertised
 *     one behind NAT)
 * @param answerSetup the DTLS role the relay takes when a browser offers {@code actpass}: {@code
 *     ACTIVE} or {@code PASSIVE} (RFC 8842 §5.3 lets the answerer choose)
 * @param otherAddresses further host candidates on the same port, at lower priority: the relay's
 *     address of the other family, for browsers that have only that one
 */
public record WebRtcEndpoint(
    String address,
    int port,
    String iceUfrag,
    String icePwd,
    Fingerprint fingerprint,
    Setup answerSetup,
    List<String> otherAddresses) {

  /** RFC 8445 §5.1.2.1: type preference 126 for host candidates, component 1. */
  private static final long HOST_TYPE_PRIORITY = (126L << 24) | (256 - 1);

  /** The highest local preference (RFC 8445 §5.1.2.1), for the first candidate. */
  private static final int TOP_LOCAL_PREFERENCE = 65535;

  public WebRtcEndpoint {
    Objects.requireNonNull(address, "address");
    otherAddresses = List.copyOf(Objects.requireNonNull(otherAddresses, "otherAddresses"));
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(answerSetup, "answerSetup");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    // RFC 8839 §5.4: ufrag 4 to 256 ice-chars, pwd 22 to 256
    if (!isIceChars(iceUfrag, 4) || !isIceChars(icePwd, 22)) {
      throw new IllegalArgumentException(
          "ice-ufrag needs 4 to 256 and ice-pwd 22 to 256 of [A-Za-z0-9+/]");
    }
    if (answerSetup != Setup.ACTIVE && answerSetup != Setup.PASSIVE) {
      throw new IllegalArgumentException("answerSetup must be ACTIVE or PASSIVE");
    }
  }

  /** An endpoint with one host candidate, on {@code address}. */
  public WebRtcEndpoint(
      String address,
      int port,
      String iceUfrag,
      String icePwd,
      Fingerprint fingerprint,
      Setup answerSetup) {
    this(address, port, iceUfrag, icePwd, fingerprint, answerSetup, List.of());
  }

  /**
   * The relay's host candidates (component 1, UDP), {@link #address} first and highest: one
   * foundation each, since they differ in base address (RFC 8445 §5.1.1.3).
   */
  public List<Candidate> candidates() {
    List<Candidate> candidates = new ArrayList<>(1 + otherAddresses.size());
    candidates.add(host(1, address));
    for (int i = 0; i < otherAddresses.size(); i++) {
      candidates.add(host(i + 2, otherAddresses.get(i)));
    }
    return candidates;
  }

  private Candidate host(int n, String at) {
    long localPreference = TOP_LOCAL_PREFERENCE - (n - 1);
    return Candidate.host(
        Integer.toString(n), HOST_TYPE_PRIORITY | (localPreference << 8), at, port);
  }

  /**
   * The relay's role in an answer (RFC 8842 §5.3): the opposite of an {@code active} or {@code
   * passive} offer, the configured role for {@code actpass}.
   */
  public Setup setupAnswering(Setup offered) {
    return switch (offered) {
      case ACTIVE -> Setup.PASSIVE;
      case PASSIVE -> Setup.ACTIVE;
      case ACTPASS, HOLDCONN -> answerSetup;
    };
  }

  /** RFC 8839 §5.4 {@code ice-char}: ALPHA / DIGIT / "+" / "/". */
  private static final String ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh ICE ufrag (8 ice-chars, 48 bits) for a relay endpoint. */
  public static String randomIceUfrag() {
    return randomIceChars(8);
  }

  /** A fresh ICE password (24 ice-chars, 144 bits; RFC 8839 §5.4 asks for at least 128). */
  public static String randomIcePwd() {
    return randomIceChars(24);
  }

  private static String randomIceChars(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
    }
    return sb.toString();
  }

  private static boolean isIceChars(String s, int min) {
    if (s == null || s.length() < min || s.length() > 256) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}

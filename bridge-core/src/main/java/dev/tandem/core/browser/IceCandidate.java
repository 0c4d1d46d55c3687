package dev.tandem.core.browser;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A trickled ICE candidate exactly as the browser's {@code RTCIceCandidateInit} carries it (RFC
 * 8838); relayed untouched between browsers.
 *
 * @param candidate the {@code candidate:...} attribute value
 */
public record IceCandidate(
    String candidate,
    Optional<String> sdpMid,
    OptionalInt sdpMLineIndex,
    Optional<String> usernameFragment) {

  /** The longest candidate line accepted; real ones are under 300 characters. */
  public static final int MAX_LENGTH = 1024;

  public IceCandidate {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(sdpMid, "sdpMid");
    Objects.requireNonNull(sdpMLineIndex, "sdpMLineIndex");
    Objects.requireNonNull(usernameFragment, "usernameFragment");
    if (candidate.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("candidate longer than " + MAX_LENGTH + " characters");
    }
  }
}

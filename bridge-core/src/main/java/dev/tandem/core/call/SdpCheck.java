package dev.tandem.core.call;

import java.util.Optional;

/**
 * Checks an SDP a browser sent before anyone else sees it, so that a malformed offer is refused
 * with its line number instead of breaking the peer.
 */
@FunctionalInterface
public interface SdpCheck {

  /** Empty when {@code sdp} is usable; else the refusal (BAD_SDP, with the line). */
  Optional<Outcome.Refused> check(String sdp);
}

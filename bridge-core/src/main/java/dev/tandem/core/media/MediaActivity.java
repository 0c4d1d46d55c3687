package dev.tandem.core.media;

import java.util.Objects;
import java.util.Optional;

/**
 * How many media packets the backend has received from each side of a call so far (RTP and RTCP,
 * cumulative), and whether the media path has failed for good (a DTLS handshake that did not
 * complete, a browser that withdrew ICE consent). Core compares two of them to tell whether media
 * still flows, and ends a call whose media failed.
 */
public record MediaActivity(
    long packetsFromBrowser, long packetsFromSip, Optional<String> failure) {
  public MediaActivity {
    Objects.requireNonNull(failure, "failure");
  }

  /** Counters of a media path that works. */
  public MediaActivity(long packetsFromBrowser, long packetsFromSip) {
    this(packetsFromBrowser, packetsFromSip, Optional.empty());
  }
}

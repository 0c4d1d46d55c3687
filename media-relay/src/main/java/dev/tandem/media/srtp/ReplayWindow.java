package dev.tandem.media.srtp;

/**
 * The 64-packet sliding replay window of RFC 3711 §3.3.2 over packet indexes, for SRTP (48-bit
 * index) and SRTCP (31-bit index) alike. Not thread-safe.
 */
final class ReplayWindow {
  private long highest = -1;
  private long seen; // bit i: index (highest - i) accepted

  boolean started() {
    return highest >= 0;
  }

  /** The highest index accepted so far; -1 before the first. */
  long highest() {
    return highest;
  }

  /** Whether {@code index} was accepted already or is too old to tell. */
  boolean isReplay(long index) {
    if (highest < 0 || index > highest) {
      return false;
    }
    long delta = highest - index;
    return delta >= 64 || (seen & (1L << delta)) != 0;
  }

  /** Records an authenticated packet's index. */
  void accept(long index) {
    if (highest < 0) {
      highest = index;
      seen = 1;
    } else if (index > highest) {
      long shift = index - highest;
      seen = shift >= 64 ? 1 : (seen << shift) | 1;
      highest = index;
    } else {
      seen |= 1L << (highest - index);
    }
  }
}

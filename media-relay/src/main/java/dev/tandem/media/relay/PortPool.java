package dev.tandem.media.relay;

import java.util.BitSet;

/**
 * The relay's UDP ports, from a configured range, in even/odd pairs (RTP on the even port, RTCP on
 * the next, RFC 3550 §11). Every pair taken is given back exactly once when its call ends.
 * Thread-safe.
 */
final class PortPool {
  private final int min;
  private final int max;
  private final BitSet used = new BitSet();
  private int next;

  /**
   * @param min first port (rounded up to even), @param max last port
   */
  PortPool(int min, int max) {
    this.min = min + (min & 1);
    this.max = max;
    if (this.min + 1 > max) {
      throw new IllegalArgumentException("port range " + min + "-" + max + " holds no pair");
    }
  }

  /** The even port of a free pair; the search starts after the last one handed out. */
  synchronized int take() {
    int pairs = (max - min + 1) / 2;
    for (int i = 0; i < pairs; i++) {
      int pair = (next + i) % pairs;
      if (!used.get(pair)) {
        used.set(pair);
        next = pair + 1;
        return min + 2 * pair;
      }
    }
    throw new IllegalStateException("no free media port pair in " + min + "-" + max);
  }

  synchronized void give(int evenPort) {
    used.clear((evenPort - min) / 2);
  }

  synchronized int inUse() {
    return used.cardinality();
  }
}

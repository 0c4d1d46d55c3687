package dev.tandem.bench.cps;

import java.util.Arrays;

/** Call setup times (request sent → answer received) of one run, in microseconds. */
final class Setups {
  private long[] micros = new long[1024];
  private int count;

  synchronized void add(long micros) {
    if (count == this.micros.length) {
      this.micros = Arrays.copyOf(this.micros, count * 2);
    }
    this.micros[count++] = micros;
  }

  synchronized int count() {
    return count;
  }

  /** The setup time below which {@code fraction} of the samples lie, in ms; NaN when none. */
  synchronized double percentileMillis(double fraction) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(fraction * count);
    return sorted[Math.max(0, Math.min(count, rank) - 1)] / 1000.0;
  }

  double maxMillis() {
    return percentileMillis(1.0);
  }
}

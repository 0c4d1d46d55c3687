package dev.tandem.bench.relay;

/** One-way latencies in microsecond buckets up to one second; written by one thread. */
final class LatencyHistogram {
  private final long[] buckets = new long[1_000_001];
  private long count;

  void record(long nanos) {
    long micros = Math.max(0, nanos / 1000);
    buckets[(int) Math.min(micros, buckets.length - 1)]++;
    count++;
  }

  long count() {
    return count;
  }

  /** The latency below which {@code fraction} of the samples lie, in milliseconds. */
  double percentileMillis(double fraction) {
    long rank = (long) Math.ceil(fraction * count);
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank && seen > 0) {
        return i / 1000.0;
      }
    }
    return Double.NaN;
  }

  void add(LatencyHistogram other) {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] += other.buckets[i];
    }
    count += other.count;
  }
}

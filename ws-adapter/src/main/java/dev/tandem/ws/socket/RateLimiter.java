package dev.tandem.ws.socket;

/**
 * A token bucket: {@code ratePerSecond} frames a second on average, {@code burst} at once. Time is
 * passed in (nanoseconds) so tests need no clock. Not thread-safe: one per connection, used from
 * the connection's reading thread.
 */
public final class RateLimiter {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long last;

  public RateLimiter(int ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes one token if there is one. */
  public boolean tryAcquire(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - last);
    last = nowNanos;
    tokens = Math.min(burst, tokens + elapsed * ratePerNano);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}

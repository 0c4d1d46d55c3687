package dev.tandem.sip.registrar;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per source address: a token bucket for requests that cost a digest check (REGISTER, challenged
 * INVITEs), and a count of wrong credentials that locks the source out once it reaches the limit.
 * Remembers the most recent sources only (an LRU of {@value #MAX_SOURCES}), so that a flood from
 * many addresses cannot grow it without bound. Thread-safe.
 */
final class SourceGuard {
  static final int MAX_SOURCES = 65_536;

  enum Verdict {
    PASS,
    RATE_LIMITED,
    LOCKED_OUT
  }

  private static final class Source {
    double tokens;
    Instant refilled;
    int failures;
    Instant lockedUntil = Instant.MIN;
  }

  private final RegistrarSettings settings;
  private final Supplier<Instant> clock;
  private final Map<String, Source> sources =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
          return size() > MAX_SOURCES;
        }
      };

  SourceGuard(RegistrarSettings settings, Supplier<Instant> clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Whether a request from {@code address} may be looked at; takes a token if so. */
  synchronized Verdict admit(String address) {
    Instant now = clock.get();
    Source s = source(address, now);
    if (now.isBefore(s.lockedUntil)) {
      return Verdict.LOCKED_OUT;
    }
    double elapsed = Duration.between(s.refilled, now).toNanos() / 1e9;
    s.tokens = Math.min(settings.burst(), s.tokens + elapsed * settings.requestsPerSecond());
    s.refilled = now;
    if (s.tokens < 1) {
      return Verdict.RATE_LIMITED;
    }
    s.tokens -= 1;
    return Verdict.PASS;
  }

  /** Wrong credentials from {@code address}; returns true when that locked it out. */
  synchronized boolean failed(String address) {
    Instant now = clock.get();
    Source s = source(address, now);
    s.failures++;
    if (s.failures >= settings.maxAuthFailures()) {
      s.failures = 0;
      s.lockedUntil = now.plus(settings.lockout());
      return true;
    }
    return false;
  }

  /** Good credentials: the failure count starts again. */
  synchronized void succeeded(String address) {
    Source s = sources.get(address);
    if (s != null) {
      s.failures = 0;
    }
  }

  private Source source(String address, Instant now) {
    return sources.computeIfAbsent(
        address,
        a -> {
          Source s = new Source();
          s.tokens = settings.burst();
          s.refilled = now;
          return s;
        });
  }
}

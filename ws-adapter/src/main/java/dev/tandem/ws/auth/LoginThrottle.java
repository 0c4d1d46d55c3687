package dev.tandem.ws.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing: wrong passwords are counted per user name and per source address;
 * past {@link ThrottleSettings#freeFailures()} each further failure blocks that user and that
 * address for a back-off that doubles up to {@link ThrottleSettings#maxDelay()}. While blocked,
 * every attempt is refused before the password is looked at (and is not counted again). Memory is
 * bounded: at most {@link ThrottleSettings#maxEntries()} users and addresses, the least recently
 * seen forgotten first, and a key starts afresh {@link ThrottleSettings#forgetAfter()} after its
 * last failure.
 *
 * <p>Thread-safe (one lock, held for a map look-up).
 */
public final class LoginThrottle {
  private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

  private final ThrottleSettings settings;
  private final Clock clock;
  private final Map<String, Failures> entries;

  public LoginThrottle(ThrottleSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > settings.maxEntries();
          }
        };
  }

  private static final class Failures {
    int count;
    Instant last = Instant.MIN;
    Instant blockedUntil = Instant.MIN;
  }

  /**
   * How long the user or the address must still wait, or empty when a login may be tried now.
   *
   * @param source the client's address; empty when unknown (only the user is throttled)
   */
  public synchronized Optional<Duration> retryAfter(String user, String source) {
    Instant now = clock.instant();
    Duration wait = Duration.ZERO;
    for (String key : keys(user, source)) {
      Failures failures = key == null ? null : entries.get(key);
      if (failures != null && failures.blockedUntil.isAfter(now)) {
        Duration left = Duration.between(now, failures.blockedUntil);
        wait = left.compareTo(wait) > 0 ? left : wait;
      }
    }
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  /** Counts a wrong password for the user and the address. */
  public synchronized void failed(String user, String source) {
    Instant now = clock.instant();
    for (String key : keys(user, source)) {
      if (key == null) {
        continue;
      }
      Failures failures = entries.computeIfAbsent(key, k -> new Failures());
      if (Duration.between(failures.last, now).compareTo(settings.forgetAfter()) > 0) {
        failures.count = 0;
      }
      failures.count++;
      failures.last = now;
      int over = failures.count - settings.freeFailures();
      if (over > 0) {
        Duration delay = delay(over);
        failures.blockedUntil = now.plus(delay);
        log.warn(
            "{} wrong passwords for {}: logins refused for {} ms",
            failures.count,
            key,
            delay.toMillis());
      }
    }
  }

  /**
   * A right password: the user starts afresh (the address keeps its count until it is forgotten).
   */
  public synchronized void succeeded(String user) {
    entries.remove("user " + user);
  }

  /** {@code initialDelay * 2^(over - 1)}, at most {@code maxDelay}. */
  Duration delay(int over) {
    Duration delay = settings.initialDelay();
    for (int i = 1; i < over && delay.compareTo(settings.maxDelay()) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
  }

  synchronized int size() {
    return entries.size();
  }

  private static String[] keys(String user, String source) {
    return new String[] {
      "user " + user, source == null || source.isEmpty() ? null : "address " + source
    };
  }
}

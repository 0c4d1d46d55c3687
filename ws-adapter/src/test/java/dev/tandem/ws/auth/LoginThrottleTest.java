package dev.tandem.ws.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  /** A clock the test moves. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-06-01T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final ManualClock clock = new ManualClock();
  private final LoginThrottle throttle =
      new LoginThrottle(
          new ThrottleSettings(
              5, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(15), 16),
          clock);

  private void fail(int times, String user, String source) {
    for (int i = 0; i < times; i++) {
      throttle.failed(user, source);
    }
  }

  @Test
  void theBackOffStartsAfterTheFreeFailuresAndDoublesToTheCap() {
    fail(5, "alice", "192.0.2.1");
    assertThat(throttle.retryAfter("alice", "192.0.2.1")).isEmpty();
    fail(1, "alice", "192.0.2.1");
    assertThat(throttle.retryAfter("alice", "192.0.2.1")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.retryAfter("alice", "192.0.2.1")).isEmpty();
    fail(1, "alice", "192.0.2.1");
    assertThat(throttle.retryAfter("alice", "192.0.2.1")).contains(Duration.ofSeconds(2));
    assertThat(throttle.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(throttle.delay(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(throttle.delay(40)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void aUserIsThrottledFromEveryAddressAndAnAddressForEveryUser() {
    fail(6, "alice", "192.0.2.1");
    // the user, from elsewhere
    assertThat(throttle.retryAfter("alice", "198.51.100.7")).contains(Duration.ofSeconds(1));
    // the address, guessing another user's password
    assertThat(throttle.retryAfter("bob", "192.0.2.1")).contains(Duration.ofSeconds(1));
    assertThat(throttle.retryAfter("bob", "198.51.100.7")).isEmpty();
    // without an address only the user counts
    assertThat(throttle.retryAfter("bob", "")).isEmpty();
  }

  @Test
  void aRightPasswordClearsTheUserAndOldFailuresAreForgotten() {
    fail(5, "alice", "192.0.2.1");
    throttle.succeeded("alice");
    fail(1, "alice", "198.51.100.7");
    assertThat(throttle.retryAfter("alice", "198.51.100.7")).isEmpty();
    fail(5, "bob", "198.51.100.8");
    clock.advance(Duration.ofMinutes(16));
    fail(1, "bob", "198.51.100.8");
    assertThat(throttle.retryAfter("bob", "198.51.100.8")).isEqualTo(Optional.empty());
  }

  @Test
  void memoryIsBoundedByMaxEntries() {
    for (int i = 0; i < 1000; i++) {
      throttle.failed("user" + i, "10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(throttle.size()).isEqualTo(16);
  }
}

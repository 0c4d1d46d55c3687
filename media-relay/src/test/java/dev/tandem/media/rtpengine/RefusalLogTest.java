package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
  @Test
  void writesTheFirstRefusalAndThenOneLinePerIntervalWithTheCount() {
    AtomicLong now = new AtomicLong();
    RefusalLog refusals = new RefusalLog(Duration.ofSeconds(10), now::get);
    refusals.refused("127.0.0.1:2223", "Ran out of ports");
    assertThat(refusals.pending()).as("the first one is written at once").isZero();
    for (int i = 0; i < 500; i++) {
      refusals.refused("127.0.0.1:2223", "Ran out of ports");
    }
    assertThat(refusals.pending()).as("the rest wait for the interval").isEqualTo(500);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    refusals.refused("127.0.0.1:2223", "Ran out of ports");
    assertThat(refusals.pending()).as("one line with the count of 501").isZero();
  }
}

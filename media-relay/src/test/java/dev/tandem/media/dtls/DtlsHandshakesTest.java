package dev.tandem.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The handshake threads: never more than the bound, a bounded wait, refusal beyond it. */
class DtlsHandshakesTest {
  @Test
  void atMostTheBoundRunsAtMostTheQueueWaitsAndTheRestIsRefused() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Runnable blocking =
        () -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
        };
    try (DtlsHandshakes pool = new DtlsHandshakes(2, 3)) {
      assertThat(pool.liveThreads()).as("no thread before a handshake").isZero();
      List<Optional<Future<?>>> started = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        started.add(pool.start(blocking));
      }
      assertThat(started.stream().filter(Optional::isPresent).count()).isEqualTo(5);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);
      assertThat(pool.liveThreads()).isEqualTo(2);
      assertThat(pool.waiting()).isEqualTo(3);

      // a waiting handshake that is cancelled gives its place back and never runs
      pool.cancel(started.get(4).orElseThrow());
      assertThat(pool.waiting()).isEqualTo(2);
      assertThat(pool.start(blocking)).isPresent();

      release.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.waiting() == 0);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 0);
      assertThat(most.get()).as("never more than the bound at once").isEqualTo(2);
      assertThat(pool.liveThreads()).isLessThanOrEqualTo(2);
    }
  }
}

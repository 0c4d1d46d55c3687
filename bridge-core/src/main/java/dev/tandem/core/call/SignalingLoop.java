package dev.tandem.core.call;

import dev.tandem.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which all signaling state changes: sessions, calls and their timers. Work is
 * small (no I/O: adapters queue their sends), so one thread keeps up with thousands of calls per
 * second and no lock is needed anywhere in core.
 */
public final class SignalingLoop implements Executor, Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalingLoop.class);

  private final ScheduledExecutorService executor;

  public SignalingLoop() {
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "signaling");
              thread.setDaemon(true);
              return thread;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(guarded(task));
  }

  /** Runs {@code work} on the loop and completes with its result (or its failure). */
  public <T> CompletableFuture<T> submit(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, executor);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> future =
        executor.schedule(guarded(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("signaling task failed", e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}

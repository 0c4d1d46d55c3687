package dev.tandem.media.dtls;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads DTLS handshakes run on. Bouncy Castle's DTLS is blocking: a handshake holds its
 * thread until it completes, fails or times out ({@link DtlsSrtp#HANDSHAKE_TIMEOUT_MILLIS}). So
 * that load can never grow the thread count, at most {@code threads} handshakes run at once, at
 * most {@code queue} more wait for a thread, and any beyond are refused at once ({@link #start}
 * answers empty) instead of waiting without bound.
 *
 * <p>Threads are named {@code relay-dtls-<n>}, started only when a handshake needs one and ended
 * after {@link #IDLE_SECONDS} seconds without work: a relay without handshakes has none.
 * Thread-safe.
 */
public final class DtlsHandshakes implements AutoCloseable {
  /** How long an idle handshake thread lives before it ends. */
  static final long IDLE_SECONDS = 30;

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final int threads;
  private final int queue;
  private final ThreadPoolExecutor executor;

  /**
   * @param threads the most handshakes that run at once (and threads that exist), at least 1
   * @param queue the most handshakes that wait for a thread, at least 1
   */
  public DtlsHandshakes(int threads, int queue) {
    if (threads < 1 || queue < 1) {
      throw new IllegalArgumentException(
          "DTLS handshakes need at least one thread and one queue place: "
              + threads
              + ", "
              + queue);
    }
    this.threads = threads;
    this.queue = queue;
    int pool = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "relay-dtls-" + pool + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            factory,
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code handshake} on a handshake thread, now or once one is free; empty when every thread
   * is busy and the queue is full (the handshake is refused and will never run).
   */
  public Optional<Future<?>> start(Runnable handshake) {
    try {
      return Optional.of(executor.submit(handshake));
    } catch (RejectedExecutionException e) {
      return Optional.empty();
    }
  }

  /**
   * Drops a handshake that is still waiting for a thread, so it neither runs nor holds a queue
   * place. A running one is not interrupted (that would close its socket, an interruptible
   * channel): its transport must make it fail instead.
   */
  public void cancel(Future<?> handshake) {
    handshake.cancel(false);
    if (handshake instanceof Runnable queued) {
      executor.remove(queued);
    }
  }

  /** Handshake threads alive now (at most {@link #threads()}). */
  public int liveThreads() {
    return executor.getPoolSize();
  }

  /** Handshakes waiting for a thread now. */
  public int waiting() {
    return executor.getQueue().size();
  }

  public int threads() {
    return threads;
  }

  public int queue() {
    return queue;
  }

  /** Stops every handshake and waits briefly for the threads to end. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.tandem.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A scheduler whose time moves only when a test says so: {@link #advance} runs, in order, every
 * task that falls due. Not thread-safe: for single-threaded tests.
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.sequence));
  private Instant now;
  private long sequence;

  public ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Task scheduled = new Task(now.plus(delay), sequence++, task);
    tasks.add(scheduled);
    return () -> tasks.remove(scheduled);
  }

  /** Moves time forward, running each task that falls due at its own time. */
  public void advance(Duration duration) {
    Instant until = now.plus(duration);
    while (!tasks.isEmpty() && !tasks.peek().due.isAfter(until)) {
      Task next = tasks.poll();
      now = next.due;
      next.task.run();
    }
    now = until;
  }

  /** How many tasks are waiting; a finished call leaves none behind. */
  public int pending() {
    return tasks.size();
  }

  private record Task(Instant due, long sequence, Runnable task) {}
}

package dev.tandem.bench.relay;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of threads of this JVM and of other processes. */
final class Cpu {
  private Cpu() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Linux's USER_HZ: /proc reports CPU time in 1/100 s. */
  private static final long TICKS_PER_SECOND = 100;

  @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; the build targets 17
  static long threadNanos(Thread thread) {
    long t = THREADS.getThreadCpuTime(thread.getId());
    return Math.max(0, t);
  }

  /** CPU time of all threads of this JVM whose name starts with {@code prefix}. */
  static long threadsNamed(String prefix) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(prefix)) {
        sum += threadNanos(t);
      }
    }
    return sum;
  }

  /** User + system CPU time of process {@code pid} (all its threads), from /proc. */
  static long processNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name in parentheses: state is field 3, utime 14, stime 15
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }
}

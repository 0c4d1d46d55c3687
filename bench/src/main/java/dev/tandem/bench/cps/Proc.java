package dev.tandem.bench.cps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and thread count of a process, from Linux's /proc. */
final class Proc {
  private Proc() {}

  /** Linux's USER_HZ: /proc reports CPU time in 1/100 s. */
  private static final long TICKS_PER_SECOND = 100;

  /** User + system CPU time of {@code pid} (all its threads). */
  static long cpuNanos(long pid) {
    return ticks(pid, false) * 1_000_000_000L / TICKS_PER_SECOND;
  }

  /**
   * User + system CPU time of {@code pid} and of its children that have exited and been waited for
   * (cutime + cstime): how this JVM counts the SIPp UACs it ran.
   */
  static long cpuNanosWithExitedChildren(long pid) {
    return ticks(pid, true) * 1_000_000_000L / TICKS_PER_SECOND;
  }

  private static long ticks(long pid, boolean children) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name in parentheses start at field 3 (state): utime is field 14,
    // stime 15, cutime 16, cstime 17
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (children) {
      ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return ticks;
  }

  /** The number of threads of {@code pid} now, or -1 when it is gone. */
  static int threads(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("Threads:")) {
          return Integer.parseInt(line.substring(8).trim());
        }
      }
    } catch (IOException gone) {
      return -1;
    }
    return -1;
  }

  /**
   * The number of threads of {@code pid} whose name starts with {@code prefix} (Linux keeps the
   * first 15 characters of a Java thread's name in /proc/&lt;pid&gt;/task/&lt;tid&gt;/comm).
   */
  static int threadsNamed(long pid, String prefix) {
    int count = 0;
    try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          if (Files.readString(task.resolve("comm")).startsWith(prefix)) {
            count++;
          }
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException gone) {
      return -1;
    }
    return count;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

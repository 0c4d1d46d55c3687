package dev.tandem.bench.cps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every process this benchmark starts (the bridge, SIPp), so that each is stopped by its PID when
 * the run ends, fails or is interrupted (a shutdown hook runs on Ctrl-C and SIGTERM). The PIDs are
 * also written to a file that scripts/bench-cps reads to stop leftovers if this JVM is killed.
 */
final class Children {
  private Children() {}

  private static final List<Process> RUNNING = new ArrayList<>();
  private static Path pidFile;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Children::stopAll, "cps-cleanup"));
  }

  static synchronized void writePidsTo(Path file) {
    pidFile = file;
  }

  static synchronized void add(Process process) {
    RUNNING.add(process);
    if (pidFile != null) {
      try {
        Files.writeString(
            pidFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("cannot write " + pidFile + ": " + e);
      }
    }
  }

  /** SIGTERM, then SIGKILL after {@code seconds}. */
  static void stop(Process process, int seconds) throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    synchronized (Children.class) {
      RUNNING.remove(process);
    }
  }

  static void stopAll() {
    List<Process> all;
    synchronized (Children.class) {
      all = new ArrayList<>(RUNNING);
    }
    for (Process p : all) {
      p.destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}

package dev.tandem.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real peers' programs (a missing one fails the test with the package to install), and
 * the two things every peer fixture does with its process: read its log, stop it.
 */
final class Peers {
  private Peers() {}

  /** The absolute path of {@code program}, from /usr/bin, /usr/sbin or PATH. */
  static Path require(String program, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String dir : (path + ":/usr/bin:/usr/sbin").split(":")) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        program + " is not installed: the end-to-end tests need the Debian package " + debianPackage
            + " (scripts/test installs it)");
  }

  /** A peer's log so far, for failure messages; never throws. */
  static String readLog(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  /**
   * Stops a peer: SIGTERM, {@code terms} times at most (baresip needs a second one while it has
   * calls), each given {@code grace}; then SIGKILL.
   */
  static void stop(Process process, int terms, Duration grace) throws InterruptedException {
    for (int i = 0; i < terms; i++) {
      process.destroy();
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }
}

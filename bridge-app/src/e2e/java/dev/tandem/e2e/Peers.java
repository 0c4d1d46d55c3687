package dev.tandem.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the real peers' programs; a missing one fails the test with the package to install. */
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
}

package dev.tandem.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Writes one line per finished real-peer test to {@code target/real-peer-tests.txt} ({@code PASS
 * SkeletonSippE2E.answersOptions [sipp]}), so that {@code scripts/test} can say which real peers
 * were exercised. Registered through {@code META-INF/services}; ignores tests without {@link
 * RealPeers}.
 */
public final class RealPeerReport implements TestExecutionListener {
  static final Path REPORT = Path.of("target", "real-peer-tests.txt");

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    // only tests that ran (a parameterized test's container is not one; its invocations are)
    if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource method)) {
      return;
    }
    String invocation =
        method.getMethodParameterTypes().isEmpty() ? "" : " " + test.getDisplayName();
    Optional<RealPeers> peers = peersOf(method.getJavaClass());
    if (peers.isEmpty()) {
      return;
    }
    String status =
        switch (result.getStatus()) {
          case SUCCESSFUL -> "PASS";
          case FAILED -> "FAIL";
          case ABORTED -> "ABORTED";
        };
    String line =
        String.format(
            "%-7s %s.%s%s [%s]%n",
            status,
            method.getJavaClass().getSimpleName(),
            method.getMethodName(),
            invocation,
            String.join(", ", peers.get().value()));
    try {
      Files.createDirectories(REPORT.getParent());
      Files.writeString(REPORT, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<RealPeers> peersOf(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      RealPeers peers = c.getAnnotation(RealPeers.class);
      if (peers != null) {
        return Optional.of(peers);
      }
    }
    return Optional.empty();
  }
}

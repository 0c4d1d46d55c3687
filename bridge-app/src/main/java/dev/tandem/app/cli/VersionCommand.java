package dev.tandem.app.cli;

import dev.tandem.app.TandemVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem version}: the bridge's version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .printf(
            "tandem %s%njava %s (%s)%n",
            TandemVersion.current(),
            Runtime.version(),
            System.getProperty("java.vendor", "unknown vendor"));
    return 0;
  }
}

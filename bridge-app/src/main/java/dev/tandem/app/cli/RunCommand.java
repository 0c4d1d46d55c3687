package dev.tandem.app.cli;

import dev.tandem.app.Bridge;
import dev.tandem.app.config.ConfigLoader;
import dev.tandem.app.config.TandemConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tandem run}: starts the bridge and runs until SIGTERM or SIGINT, then stops cleanly. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the bridge.")
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  private final Map<String, String> environment;

  RunCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    TandemConfig config =
        new ConfigLoader(environment).load(options.file(environment), options.overrides);
    CountDownLatch stop = StopSignals.install();
    Bridge bridge = new Bridge(config);
    bridge.start();
    stop.await();
    bridge.stop();
    return 0;
  }
}

package dev.tandem.app.cli;

import dev.tandem.app.Bridge;
import dev.tandem.app.config.ConfigException;
import dev.tandem.app.config.ConfigLoader;
import dev.tandem.app.config.ConfigProblem;
import dev.tandem.app.config.ConfigSource;
import dev.tandem.app.config.ConfigWarning;
import dev.tandem.app.config.ConfigWarnings;
import dev.tandem.app.config.TandemConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tandem run}: starts the bridge and runs until SIGTERM or SIGINT, or until a drain (admin
 * API) is over, then stops cleanly. SIGHUP reloads the configuration from the same sources and
 * reopens the call-record file. Weak settings ({@link ConfigWarnings}) are logged; clearly unsafe
 * ones stop it before it starts.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the bridge.")
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin ConfigOptions options;

  private final Map<String, String> environment;

  RunCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws Exception {
    ConfigSource source =
        () -> new ConfigLoader(environment).load(options.file(environment), options.overrides);
    TandemConfig config = source.load();
    List<ConfigWarning> warnings = ConfigWarnings.of(config);
    List<ConfigProblem> refused =
        warnings.stream().filter(ConfigWarning::refused).map(ConfigWarning::asProblem).toList();
    if (!refused.isEmpty()) {
      throw new ConfigException(refused);
    }
    warnings.forEach(warning -> log.warn("{}", warning));
    CountDownLatch stop = StopSignals.install();
    Bridge bridge = new Bridge(config, source, stop::countDown);
    StopSignals.onHangup(bridge::hangup);
    bridge.start();
    stop.await();
    bridge.stop();
    return 0;
  }
}

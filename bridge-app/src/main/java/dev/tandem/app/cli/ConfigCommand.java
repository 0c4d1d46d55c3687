package dev.tandem.app.cli;

import dev.tandem.app.config.ConfigException;
import dev.tandem.app.config.ConfigLoader;
import dev.tandem.app.config.ConfigProblem;
import dev.tandem.app.config.ConfigWarning;
import dev.tandem.app.config.ConfigWarnings;
import dev.tandem.app.config.TandemConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tandem config}: check a configuration file, or show the effective configuration. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Check or show configuration.",
    subcommands = {ConfigCommand.CheckCommand.class, ConfigCommand.ShowCommand.class})
final class ConfigCommand {

  /**
   * Prints every problem with its path and exits 1, or prints each warning ({@link ConfigWarnings})
   * and "ok" and exits 0; a setting {@code run} refuses is a problem here too.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Validate a configuration file.")
  static final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The YAML file to check.")
    Path file;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "Override one key (repeatable).")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Spec CommandSpec spec;

    private final Map<String, String> environment;

    CheckCommand(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
      TandemConfig config = new ConfigLoader(environment).load(Optional.of(file), overrides);
      List<ConfigWarning> warnings = ConfigWarnings.of(config);
      List<ConfigProblem> refused =
          warnings.stream().filter(ConfigWarning::refused).map(ConfigWarning::asProblem).toList();
      if (!refused.isEmpty()) {
        throw new ConfigException(refused);
      }
      for (ConfigWarning warning : warnings) {
        spec.commandLine().getOut().println("warning: " + warning);
      }
      spec.commandLine().getOut().println(file + ": ok");
      return 0;
    }
  }

  /** Prints the configuration the bridge would run with, all sources merged, as YAML. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the effective configuration.")
  static final class ShowCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Spec CommandSpec spec;

    private final Map<String, String> environment;

    ShowCommand(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
      TandemConfig config =
          new ConfigLoader(environment).load(options.file(environment), options.overrides);
      spec.commandLine().getOut().print(ConfigLoader.toYaml(config));
      return 0;
    }
  }
}

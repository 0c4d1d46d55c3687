package dev.tandem.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by the commands that load a config. */
final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file (default: $TANDEM_CONFIG, else built-in defaults).")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one key, e.g. --set sip.listen[0].port=5070 (repeatable).")
  List<String> overrides = new ArrayList<>();

  Optional<Path> file(Map<String, String> environment) {
    if (file != null) {
      return Optional.of(file);
    }
    return Optional.ofNullable(environment.get("TANDEM_CONFIG"))
        .filter(s -> !s.isBlank())
        .map(Path::of);
  }
}

package dev.tandem.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads {@link TandemConfig} from its four sources, in order of precedence from low to high: the
 * sections' defaults, the YAML file, {@code TANDEM_*} environment variables, {@code --set
 * key=value}. Every problem in any of them is reported together.
 */
public final class ConfigLoader {
  /**
   * The log format, read by conf/logback.xml (the name of the appender it uses): {@code text} or
   * {@code json}. Checked here, since logback would silently log nothing for another value.
   */
  static final String LOG_FORMAT = "TANDEM_LOG_FORMAT";

  /**
   * Variables with the prefix that are read by {@code bin/tandem} or the logging configuration, not
   * keys.
   */
  static final Set<String> RESERVED_VARIABLES =
      Set.of("TANDEM_CONFIG", "TANDEM_OPTS", "TANDEM_JAVA", "TANDEM_HOME", LOG_FORMAT);

  private static final Set<String> LOG_FORMATS = Set.of("text", "json");

  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  // a number kept as text ("+15551230001") must not read back as a number
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Map<String, String> environment;

  /**
   * @param environment the process environment, or a test's; only {@code TANDEM_*} is read
   */
  public ConfigLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Loads, overrides, binds and checks; the exception carries the problems of every step. */
  public TandemConfig load(Optional<Path> file, List<String> overrides) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    ObjectNode tree = merge(file, overrides, problems);
    try {
      TandemConfig config = RecordBinder.bind(tree, TandemConfig.class);
      if (problems.isEmpty()) {
        return config;
      }
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    throw new ConfigException(problems);
  }

  private ObjectNode merge(
      Optional<Path> file, List<String> overrides, List<ConfigProblem> problems) {
    ObjectNode tree = (ObjectNode) ConfigTree.of(TandemConfig.defaults());
    if (file.isPresent()) {
      readFile(file.get(), problems)
          .ifPresent(fileTree -> ConfigTree.merge(tree, fileTree, TandemConfig.class));
    }
    String logFormat = environment.get(LOG_FORMAT);
    if (logFormat != null && !LOG_FORMATS.contains(logFormat)) {
      problems.add(new ConfigProblem(LOG_FORMAT, "must be text or json, not '" + logFormat + "'"));
    }
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(ConfigPath.ENV_PREFIX) || RESERVED_VARIABLES.contains(name)) {
        continue;
      }
      Optional<List<Object>> path = ConfigPath.fromEnvironment(name, TandemConfig.class);
      if (path.isEmpty()) {
        problems.add(new ConfigProblem(name, "names no configuration key"));
        continue;
      }
      apply(tree, path.get(), variable.getValue(), name, problems);
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      Optional<List<Object>> path =
          eq <= 0 ? Optional.empty() : ConfigPath.parse(override.substring(0, eq));
      if (path.isEmpty()) {
        problems.add(
            new ConfigProblem(
                "--set " + override, "must be key=value, e.g. sip.listen[0].port=5070"));
        continue;
      }
      apply(tree, path.get(), override.substring(eq + 1), "--set " + override, problems);
    }
    return tree;
  }

  /** Writes a configuration as YAML, in the form the file takes. */
  public static String toYaml(TandemConfig config) {
    try {
      return YAML.writeValueAsString(ConfigTree.of(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<JsonNode> readFile(Path file, List<ConfigProblem> problems) {
    String where = file.toString();
    try {
      String text = Files.readString(file);
      JsonNode tree = text.isBlank() ? YAML.createObjectNode() : YAML.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return Optional.of(YAML.createObjectNode());
      }
      if (!tree.isObject()) {
        problems.add(
            new ConfigProblem(where, "must be a YAML mapping of sections (http:, sip:, ...)"));
        return Optional.empty();
      }
      return Optional.of(tree);
    } catch (NoSuchFileException e) {
      problems.add(new ConfigProblem(where, "no such file"));
    } catch (JsonProcessingException e) {
      String location =
          e.getLocation() == null
              ? ""
              : "line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ": ";
      problems.add(
          new ConfigProblem(
              where, "malformed YAML: " + location + firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      problems.add(new ConfigProblem(where, "cannot read: " + e.getMessage()));
    }
    return Optional.empty();
  }

  private static void apply(
      ObjectNode tree, List<Object> path, String raw, String source, List<ConfigProblem> problems) {
    JsonNode value;
    String text = raw.trim();
    if (text.startsWith("[") || text.startsWith("{")) {
      try {
        value = YAML.readTree(text);
      } catch (JsonProcessingException e) {
        problems.add(
            new ConfigProblem(source, "malformed value: " + firstLine(e.getOriginalMessage())));
        return;
      }
    } else {
      value = YAML.getNodeFactory().textNode(raw);
    }
    ConfigTree.set(tree, path, value)
        .ifPresent(
            problem ->
                problems.add(new ConfigProblem(source, ConfigPath.format(path) + ": " + problem)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}

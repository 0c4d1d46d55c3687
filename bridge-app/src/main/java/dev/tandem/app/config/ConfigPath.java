package dev.tandem.app.config;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A path to one key: {@code sip.listen[0].port} in {@code --set}, {@code TANDEM_SIP_LISTEN_0_PORT}
 * as an environment variable. Segments are keys (strings) and list indexes (integers).
 */
final class ConfigPath {
  static final String ENV_PREFIX = "TANDEM_";

  private ConfigPath() {}

  /** Parses {@code a.b[0].c} (or {@code a.b.0.c}); empty when the text is not a path. */
  static Optional<List<Object>> parse(String text) {
    List<Object> segments = new ArrayList<>();
    for (String part : text.split("\\.", -1)) {
      String rest = part;
      int bracket = rest.indexOf('[');
      String key = bracket < 0 ? rest : rest.substring(0, bracket);
      if (key.isEmpty() && bracket != 0) {
        return Optional.empty();
      }
      if (!key.isEmpty()) {
        segments.add(key.chars().allMatch(Character::isDigit) ? Integer.valueOf(key) : key);
      }
      while (bracket >= 0) {
        int close = rest.indexOf(']', bracket);
        if (close < 0) {
          return Optional.empty();
        }
        String index = rest.substring(bracket + 1, close);
        if (index.isEmpty() || !index.chars().allMatch(Character::isDigit) || index.length() > 6) {
          return Optional.empty();
        }
        segments.add(Integer.valueOf(index));
        rest = rest.substring(close + 1);
        bracket = rest.isEmpty() ? -1 : (rest.charAt(0) == '[' ? 0 : -2);
        if (bracket == -2) {
          return Optional.empty();
        }
      }
    }
    if (segments.isEmpty() || !(segments.get(0) instanceof String)) {
      return Optional.empty();
    }
    return Optional.of(segments);
  }

  /**
   * Resolves an environment variable's name against the configuration records: at each level the
   * longest key whose words match the next words of the name wins, so {@code
   * TANDEM_SIP_MAX_MESSAGE_SIZE} is {@code sip.max-message-size}.
   *
   * @return the path, or empty when the name matches no key
   */
  static Optional<List<Object>> fromEnvironment(String name, Class<?> root) {
    if (!name.startsWith(ENV_PREFIX)) {
      return Optional.empty();
    }
    List<String> words = Arrays.asList(name.substring(ENV_PREFIX.length()).split("_", -1));
    List<Object> path = new ArrayList<>();
    return resolve(words, root, path) ? Optional.of(path) : Optional.empty();
  }

  private static boolean resolve(List<String> words, Type type, List<Object> path) {
    if (words.isEmpty()) {
      return !ConfigTypes.isRecord(type);
    }
    if (ConfigTypes.isOptional(type)) {
      return resolve(words, ConfigTypes.argument(type), path);
    }
    if (ConfigTypes.isList(type)) {
      String index = words.get(0);
      if (index.isEmpty() || index.length() > 6 || !index.chars().allMatch(Character::isDigit)) {
        return false;
      }
      path.add(Integer.valueOf(index));
      return resolve(words.subList(1, words.size()), ConfigTypes.argument(type), path);
    }
    if (ConfigTypes.isMap(type)) {
      // Map keys are free text; from a variable name only a one-word, lower-case key is possible.
      path.add(words.get(0).toLowerCase(Locale.ROOT));
      return resolve(words.subList(1, words.size()), ConfigTypes.argument(type), path);
    }
    if (!ConfigTypes.isRecord(type)) {
      return false;
    }
    RecordComponent[] components = ConfigTypes.raw(type).getRecordComponents();
    List<RecordComponent> longestFirst = new ArrayList<>(Arrays.asList(components));
    longestFirst.sort(Comparator.comparingInt((RecordComponent c) -> wordsOf(c).size()).reversed());
    for (RecordComponent component : longestFirst) {
      List<String> keyWords = wordsOf(component);
      if (words.size() >= keyWords.size() && words.subList(0, keyWords.size()).equals(keyWords)) {
        int mark = path.size();
        path.add(ConfigTypes.key(component));
        if (resolve(
            words.subList(keyWords.size(), words.size()), component.getGenericType(), path)) {
          return true;
        }
        path.subList(mark, path.size()).clear();
      }
    }
    return false;
  }

  private static List<String> wordsOf(RecordComponent component) {
    return Arrays.asList(ConfigTypes.key(component).toUpperCase(Locale.ROOT).split("-"));
  }

  /** {@code [sip, listen, 0, port]} → {@code sip.listen[0].port}. */
  static String format(List<Object> path) {
    StringBuilder text = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        text.append('[').append(index).append(']');
      } else {
        if (text.length() > 0) {
          text.append('.');
        }
        text.append(segment);
      }
    }
    return text.toString();
  }
}

package dev.tandem.app.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules shared by every step of loading: how a record component is named as a key, which Java
 * types a key may have, and how durations and enum constants are written.
 */
final class ConfigTypes {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private ConfigTypes() {}

  /** {@code maxMessageSize} → {@code max-message-size}. */
  static String key(RecordComponent component) {
    String name = component.getName();
    StringBuilder key = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        key.append('-').append(Character.toLowerCase(c));
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalArgumentException("unsupported configuration type " + type);
  }

  /** The element type of {@code List<E>} or {@code Optional<E>}, the value type of a map. */
  static Type argument(Type type) {
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      return args[args.length - 1];
    }
    throw new IllegalArgumentException("raw collection type " + type);
  }

  static boolean isList(Type type) {
    return raw(type) == List.class;
  }

  static boolean isMap(Type type) {
    return raw(type) == Map.class;
  }

  static boolean isOptional(Type type) {
    return raw(type) == Optional.class;
  }

  static boolean isRecord(Type type) {
    return raw(type).isRecord();
  }

  /** The record's {@code defaults()} instance, or empty when the record has none. */
  static Optional<Object> defaults(Class<?> recordType) {
    try {
      return Optional.of(recordType.getMethod("defaults").invoke(null));
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(recordType.getSimpleName() + ".defaults() failed", e);
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}; empty when the text is none of these. */
  static Optional<Duration> parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        });
  }

  /** The shortest exact form: {@code 1h}, {@code 5m}, {@code 30s} or {@code 1500ms}. */
  static String formatDuration(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /** Enum constants are written in lower kebab case: {@code UDP} → {@code udp}. */
  static String enumKey(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package dev.tandem.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds a configuration tree onto records, checking every key: unknown keys, wrong types, annotated
 * bounds and each section's own rules. It goes on after a problem, so that one run shows every
 * mistake in a file.
 */
final class RecordBinder {
  private final List<ConfigProblem> problems = new ArrayList<>();

  /** Binds {@code tree} to {@code type}; the tree must hold every key (defaults merged in). */
  static <T> T bind(JsonNode tree, Class<T> type) throws ConfigException {
    RecordBinder binder = new RecordBinder();
    Object value = binder.value(tree, type, "", null);
    if (!binder.problems.isEmpty()) {
      throw new ConfigException(binder.problems);
    }
    return type.cast(value);
  }

  /**
   * @param fallback the value to use for keys missing inside this node (a list element's defaults),
   *     or null
   */
  private Object value(JsonNode node, Type type, String path, Object fallback) {
    Class<?> raw = ConfigTypes.raw(type);
    if (ConfigTypes.isOptional(type)) {
      return node == null || node.isNull()
          ? Optional.empty()
          : Optional.ofNullable(value(node, ConfigTypes.argument(type), path, null));
    }
    if (node == null || node.isNull()) {
      return problem(path, "missing");
    }
    if (raw.isRecord()) {
      return record(node, raw, path, fallback);
    }
    if (ConfigTypes.isList(type)) {
      return list(node, ConfigTypes.argument(type), path);
    }
    if (ConfigTypes.isMap(type)) {
      return map(node, ConfigTypes.argument(type), path);
    }
    if (!node.isValueNode()) {
      return problem(
          path, "must be a single value, not a " + (node.isArray() ? "list" : "section"));
    }
    return scalar(node, raw, path);
  }

  private Object record(JsonNode node, Class<?> type, String path, Object fallback) {
    if (!node.isObject()) {
      return problem(path, "must be a section of keys");
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent component : components) {
      byKey.put(ConfigTypes.key(component), component);
    }
    Iterator<String> keys = node.fieldNames();
    boolean complete = true;
    while (keys.hasNext()) {
      String key = keys.next();
      if (!byKey.containsKey(key)) {
        problem(
            child(path, key),
            "unknown key (expected one of: " + String.join(", ", byKey.keySet()) + ")");
        complete = false;
      }
    }
    Object defaults = fallback != null ? fallback : ConfigTypes.defaults(type).orElse(null);
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      String key = ConfigTypes.key(component);
      String at = child(path, key);
      JsonNode child = node.get(key);
      int before = problems.size();
      if ((child == null || child.isNull())
          && defaults != null
          && !ConfigTypes.isOptional(component.getGenericType())) {
        values[i] = read(component, defaults);
      } else {
        values[i] = value(child, component.getGenericType(), at, null);
      }
      if (problems.size() == before) {
        checkBounds(component, values[i], at);
      }
      complete &= problems.size() == before;
    }
    if (!complete) {
      return null;
    }
    Object record = construct(type, components, values, path);
    if (record instanceof SelfChecking section) {
      section.check(
          (relative, message) ->
              problem(relative.isEmpty() ? path : child(path, relative), message));
    }
    return record;
  }

  private List<Object> list(JsonNode node, Type element, String path) {
    if (!node.isArray()) {
      problem(path, "must be a list");
      return null;
    }
    Object elementDefaults =
        ConfigTypes.isRecord(element)
            ? ConfigTypes.defaults(ConfigTypes.raw(element)).orElse(null)
            : null;
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      values.add(value(node.get(i), element, path + "[" + i + "]", elementDefaults));
    }
    return values.contains(null) ? null : List.copyOf(values);
  }

  private Map<String, Object> map(JsonNode node, Type valueType, String path) {
    if (!node.isObject()) {
      problem(path, "must be a section of keys");
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    boolean complete = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      Object value = value(field.getValue(), valueType, child(path, field.getKey()), null);
      complete &= value != null;
      values.put(field.getKey(), value);
    }
    return complete ? Map.copyOf(values) : null;
  }

  private Object scalar(JsonNode node, Class<?> type, String path) {
    String text = node.asText();
    if (type == String.class) {
      return text;
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      if (node.isIntegralNumber() || (node.isTextual() && text.trim().matches("-?\\d{1,18}"))) {
        long value = node.isIntegralNumber() ? node.asLong() : Long.parseLong(text.trim());
        boolean isInt = type == int.class || type == Integer.class;
        if (isInt && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
          return problem(path, "is too large");
        }
        return isInt ? (Object) (int) value : (Object) value;
      }
      return problem(path, "must be a whole number, not '" + text + "'");
    }
    if (type == boolean.class || type == Boolean.class) {
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      return problem(path, "must be true or false, not '" + text + "'");
    }
    if (type == Duration.class) {
      return ConfigTypes.parseDuration(text)
          .map(Object.class::cast)
          .orElseGet(
              () ->
                  problem(
                      path, "must be a duration such as 500ms, 30s, 5m or 1h, not '" + text + "'"));
    }
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (ConfigTypes.enumKey((Enum<?>) constant).equals(text.toLowerCase(Locale.ROOT))) {
          return constant;
        }
      }
      String allowed =
          Arrays.stream(type.getEnumConstants())
              .map(c -> ConfigTypes.enumKey((Enum<?>) c))
              .collect(Collectors.joining(", "));
      return problem(path, "must be one of " + allowed + ", not '" + text + "'");
    }
    throw new IllegalArgumentException("unsupported configuration type " + type + " at " + path);
  }

  private void checkBounds(RecordComponent component, Object value, String path) {
    Range range = component.getAnnotation(Range.class);
    if (range != null && value instanceof Number number) {
      long n = number.longValue();
      if (n < range.min() || n > range.max()) {
        problem(path, "must be " + range.min() + ".." + range.max() + ", not " + n);
      }
    }
    if (component.isAnnotationPresent(NotBlank.class) && value instanceof String s && s.isBlank()) {
      problem(path, "must not be empty");
    }
    DurationRange durations = component.getAnnotation(DurationRange.class);
    if (durations != null && value instanceof Duration d) {
      long ms = d.toMillis();
      if (ms < durations.minMillis() || ms > durations.maxMillis()) {
        problem(
            path,
            "must be "
                + ConfigTypes.formatDuration(Duration.ofMillis(durations.minMillis()))
                + ".."
                + ConfigTypes.formatDuration(Duration.ofMillis(durations.maxMillis()))
                + ", not "
                + ConfigTypes.formatDuration(d));
      }
    }
  }

  private Object construct(
      Class<?> type, RecordComponent[] components, Object[] values, String path) {
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        return problem(path, invalid.getMessage());
      }
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  private static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private Object problem(String path, String message) {
    problems.add(new ConfigProblem(path.isEmpty() ? "(top level)" : path, message));
    return null;
  }
}

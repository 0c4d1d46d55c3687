package dev.tandem.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration as a tree of keys before it is bound to records: defaults written out as a
 * tree, files merged over them, single keys overridden. A file merges into the sections key by key,
 * but a list or a map it gives replaces the default whole (a list of listeners, a table of users is
 * one value: {@code users: {}} means no users); single elements and entries can still be overridden
 * by path.
 */
final class ConfigTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ConfigTree() {}

  /** Writes a configuration value (a record, list, map or scalar) out as a tree. */
  static JsonNode of(Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Record record) {
      ObjectNode node = NODES.objectNode();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        node.set(ConfigTypes.key(component), of(read(component, record)));
      }
      return node;
    }
    if (value instanceof Collection<?> list) {
      ArrayNode node = NODES.arrayNode();
      list.forEach(element -> node.add(of(element)));
      return node;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      map.forEach((k, v) -> node.set(String.valueOf(k), of(v)));
      return node;
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(ConfigTree::of).orElse(NODES.nullNode());
    }
    if (value instanceof Duration duration) {
      return NODES.textNode(ConfigTypes.formatDuration(duration));
    }
    if (value instanceof Enum<?> constant) {
      return NODES.textNode(ConfigTypes.enumKey(constant));
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    return NODES.textNode(value.toString());
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  /**
   * Merges {@code overlay} into {@code base}, reading the configuration type {@code type} of the
   * node: a record (a section) merges key by key, everything else (lists, maps, scalars) replaces
   * the base value.
   */
  static void merge(ObjectNode base, JsonNode overlay, Type type) {
    Map<String, Type> components = componentTypes(type);
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = base.get(field.getKey());
      Type componentType = components.get(field.getKey());
      if (componentType != null
          && isSection(componentType)
          && existing instanceof ObjectNode existingObject
          && field.getValue().isObject()) {
        merge(existingObject, field.getValue(), componentType);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  private static boolean isSection(Type type) {
    Type inner = ConfigTypes.isOptional(type) ? ConfigTypes.argument(type) : type;
    return ConfigTypes.isRecord(inner);
  }

  private static Map<String, Type> componentTypes(Type type) {
    Type inner = ConfigTypes.isOptional(type) ? ConfigTypes.argument(type) : type;
    Map<String, Type> types = new HashMap<>();
    if (ConfigTypes.isRecord(inner)) {
      for (RecordComponent component : ConfigTypes.raw(inner).getRecordComponents()) {
        types.put(ConfigTypes.key(component), component.getGenericType());
      }
    }
    return types;
  }

  /**
   * Sets one value at a path of keys (strings) and list indexes (integers), creating objects on the
   * way. An index one past the end appends an element.
   *
   * @return empty on success, else what is wrong with the path
   */
  static Optional<String> set(ObjectNode root, List<Object> path, JsonNode value) {
    JsonNode node = root;
    for (int i = 0; i < path.size(); i++) {
      Object segment = path.get(i);
      boolean last = i == path.size() - 1;
      Object next = last ? null : path.get(i + 1);
      if (segment instanceof String key) {
        if (!(node instanceof ObjectNode object)) {
          return Optional.of("'" + key + "' is not inside a section");
        }
        if (last) {
          object.set(key, value);
        } else if (!object.has(key) || object.get(key).isNull()) {
          object.set(key, next instanceof Integer ? NODES.arrayNode() : NODES.objectNode());
        }
        node = object.get(key);
      } else {
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array)) {
          return Optional.of("[" + index + "] is not inside a list");
        }
        if (index > array.size()) {
          return Optional.of(
              "index " + index + " skips elements (the list has " + array.size() + ")");
        }
        if (index == array.size()) {
          array.add(last ? value : NODES.objectNode());
        } else if (last) {
          array.set(index, value);
        }
        node = array.get(index);
      }
    }
    return Optional.empty();
  }
}

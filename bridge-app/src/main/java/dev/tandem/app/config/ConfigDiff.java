package dev.tandem.app.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What a reload changes: the keys (as {@code conf/tandem.yaml} spells them, e.g. {@code
 * routing.dial-plan}) whose values differ between the running configuration and the new one, and
 * the configuration to run with when only some of them may change live. Sections are compared key
 * by key; a list or map is one key.
 *
 * @param changed every key that differs
 * @param applied the changed keys that take their new value
 * @param kept the changed keys that keep their old value (they need a restart)
 * @param result the configuration with the applied keys new and the kept keys old
 */
public record ConfigDiff(
    List<String> changed, List<String> applied, List<String> kept, TandemConfig result) {

  /**
   * Compares {@code running} with {@code next}; {@code live} says which changed keys may take their
   * new value while the bridge runs.
   */
  public static ConfigDiff of(TandemConfig running, TandemConfig next, Predicate<String> live) {
    List<String> applied = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    TandemConfig result = (TandemConfig) merge(running, next, "", live, applied, kept);
    List<String> changed = new ArrayList<>(applied);
    changed.addAll(kept);
    changed.sort(null);
    return new ConfigDiff(changed, List.copyOf(applied), List.copyOf(kept), result);
  }

  private static Object merge(
      Object old,
      Object next,
      String path,
      Predicate<String> live,
      List<String> applied,
      List<String> kept) {
    if (Objects.equals(old, next)) {
      return next;
    }
    if (old == null || next == null || !old.getClass().isRecord()) {
      (live.test(path) ? applied : kept).add(path);
      return live.test(path) ? next : old;
    }
    RecordComponent[] components = old.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      String key = ConfigTypes.key(components[i]);
      values[i] =
          merge(
              read(components[i], old),
              read(components[i], next),
              path.isEmpty() ? key : path + "." + key,
              live,
              applied,
              kept);
    }
    try {
      Constructor<?> constructor =
          old.getClass()
              .getDeclaredConstructor(
                  Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot rebuild " + old.getClass().getSimpleName(), e);
    }
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }
}

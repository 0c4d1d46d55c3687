package dev.tandem.core.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tracks whether each part of the bridge (an HTTP listener, a SIP listening point, a media backend)
 * is up, so that {@code /readyz} answers "ready" only when all of them are.
 *
 * <p>Thread-safe: components change state from their own threads while HTTP requests read it.
 */
public final class Readiness {

  /** The state of one component. */
  public enum State {
    STARTING,
    UP,
    STOPPING,
    DOWN
  }

  private final Map<String, State> components = new LinkedHashMap<>();

  /** Declares a component; it starts in {@link State#STARTING}. */
  public synchronized void register(String component) {
    Objects.requireNonNull(component, "component");
    components.putIfAbsent(component, State.STARTING);
  }

  /** Records a component's new state; an unregistered component is registered first. */
  public synchronized void set(String component, State state) {
    components.put(Objects.requireNonNull(component), Objects.requireNonNull(state));
  }

  /** Marks every component as stopping, so readiness turns false before listeners close. */
  public synchronized void stopping() {
    components.replaceAll((name, state) -> state == State.UP ? State.STOPPING : state);
  }

  /** True when there is at least one component and every component is up. */
  public synchronized boolean isReady() {
    return !components.isEmpty() && components.values().stream().allMatch(s -> s == State.UP);
  }

  /** A copy of every component's state, in registration order. */
  public synchronized Map<String, State> snapshot() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(components));
  }
}

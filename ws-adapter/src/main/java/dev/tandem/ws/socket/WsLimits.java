package dev.tandem.ws.socket;

import java.util.Objects;

/**
 * The {@code ws} settings every connection reads when it needs them, replaced whole by a
 * configuration reload: new connections take the new rate and authentication limits, and every
 * connection the new violation limit. What Jetty fixed when the endpoint was mounted (the hard
 * frame limit, idle timeout, allowed origins) stays. Thread-safe.
 */
public final class WsLimits {
  private volatile WsSettings current;

  public WsLimits(WsSettings initial) {
    this.current = Objects.requireNonNull(initial, "initial");
  }

  public WsSettings current() {
    return current;
  }

  /** The settings from now on (a configuration reload). */
  public void replace(WsSettings next) {
    this.current = Objects.requireNonNull(next, "next");
  }
}

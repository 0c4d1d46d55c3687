package dev.tandem.core.call;

import java.util.Objects;
import java.util.Optional;

/**
 * The rules a new call is placed by — the calls section's limits and timeouts, the dial plan and
 * the rest of {@link Bridging} — read through this one holder, so that a configuration reload swaps
 * them whole ({@link Switchboard#reconfigure}). A call keeps what it was placed with: the targets,
 * ring timeout and media it started with. Confined to the signaling loop.
 */
final class CallRules {
  private CallSettings settings;
  private Optional<Bridging> bridging;

  CallRules(CallSettings settings, Optional<Bridging> bridging) {
    replace(settings, bridging);
  }

  CallSettings settings() {
    return settings;
  }

  Optional<Bridging> bridging() {
    return bridging;
  }

  void replace(CallSettings settings, Optional<Bridging> bridging) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.bridging = Objects.requireNonNull(bridging, "bridging");
  }
}

package dev.tandem.core.sip;

import dev.tandem.core.vocabulary.CallId;
import java.util.Optional;

/**
 * Receives a SIP leg's events; called on the call's owner (the signaling loop) or, by adapters that
 * have none, from the SIP stack's threads: core hops onto its loop either way.
 */
@FunctionalInterface
public interface SipLegListener {
  void on(SipLegEvent event);

  /** The call these events belong to, for the adapter's logging context; empty if unknown. */
  default Optional<CallId> callId() {
    return Optional.empty();
  }
}

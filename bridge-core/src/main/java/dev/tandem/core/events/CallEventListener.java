package dev.tandem.core.events;

/**
 * Told of every call's events ({@link CallEvent}); added to the switchboard before use ({@code
 * Switchboard.listen}). Several may listen: metrics, the call-record file, webhooks.
 *
 * <p>Threading: called on the signaling loop — the thread every call of the bridge runs on — in
 * order per call. So an implementation must return at once: it must never block, wait, do I/O or
 * take a lock another thread may hold; anything slow goes to a bounded queue of its own, served by
 * its own thread. An exception it throws is logged and dropped; the call goes on.
 */
@FunctionalInterface
public interface CallEventListener {
  void on(CallEvent event);
}

package dev.tandem.core.call;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.vocabulary.CallId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link CallTrace} for each new call and hands the events of every trace to the
 * listeners, one after another, on the signaling loop. A listener that throws is logged and the
 * others are still told: watching a call never breaks it.
 */
final class CallTraces {
  private static final Logger log = LoggerFactory.getLogger(CallTraces.class);

  private final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();
  private final Supplier<Instant> clock;
  private final CallLogging logging;
  private final BiConsumer<CallId, Runnable> loop;

  /**
   * @param clock the scheduler's clock
   * @param logging where the SIP Call-ID of each call is known
   * @param loop runs work on the signaling loop later (for an event that waits on the media
   *     backend)
   */
  CallTraces(Supplier<Instant> clock, CallLogging logging, BiConsumer<CallId, Runnable> loop) {
    this.clock = clock;
    this.logging = logging;
    this.loop = loop;
  }

  void listen(CallEventListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  /** A new call's trace; its {@link CallEvent.Started} goes out at once. */
  CallTrace start(
      CallId id,
      CallRecord.Direction direction,
      String from,
      String to,
      Optional<String> destination) {
    CallTrace trace =
        new CallTrace(
            CallRecord.started(
                id, logging.sipCallId(id), direction, from, to, destination, clock.get()),
            this);
    publish(new CallEvent.Started(trace.record()));
    return trace;
  }

  Instant now() {
    return clock.get();
  }

  Optional<String> sipCallId(CallId id) {
    return logging.sipCallId(id);
  }

  void later(CallId id, Runnable work) {
    loop.accept(id, work);
  }

  void publish(CallEvent event) {
    for (CallEventListener listener : listeners) {
      try {
        listener.on(event);
      } catch (RuntimeException e) {
        log.warn(
            "call event listener {} failed on {} of call {}",
            listener,
            event.getClass().getSimpleName(),
            event.record().callId(),
            e);
      }
    }
  }
}

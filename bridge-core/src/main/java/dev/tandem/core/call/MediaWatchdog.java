package dev.tandem.core.call;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an answered browser ⇄ SIP call whose SIP side has sent no media for the configured time
 * ({@code calls.media-timeout}): a phone that crashed or lost its network never sends BYE, and the
 * browser would otherwise sit in a silent call forever. It asks the media backend for its packet
 * counters periodically and fires once when the SIP side's count has not moved for the whole
 * timeout. It also ends the call at once when the backend reports the media path failed for good
 * (the DTLS handshake with the browser did not complete, the browser withdrew ICE consent). Runs on
 * the signaling loop; owned by the call, which stops it when it ends.
 */
final class MediaWatchdog {
  private static final Logger log = LoggerFactory.getLogger(MediaWatchdog.class);
  private static final Duration MIN_INTERVAL = Duration.ofMillis(250);
  private static final Duration MAX_INTERVAL = Duration.ofSeconds(5);

  private final CallId call;
  private final BridgeContext context;
  private final Duration timeout;
  private final Runnable onSilence;
  private final java.util.function.Consumer<String> onFailure;
  private Scheduler.Cancellable next = Scheduler.Cancellable.NONE;
  private long packets = -1;
  private Instant lastChange;
  private boolean running;

  /**
   * A watchdog for {@code call} with the configured {@link BridgeContext#mediaTimeout} (zero turns
   * the silence check off; failures still end the call); when the SIP side falls silent it ends the
   * call with {@code timeout}, on the loop, once.
   */
  MediaWatchdog(Call call, BridgeContext context) {
    this.call = call.id();
    this.context = context;
    this.timeout = context.mediaTimeout();
    this.onSilence =
        () -> call.end(EndReason.TIMEOUT, "no media from SIP for " + timeout.toSeconds() + " s");
    this.onFailure = why -> call.end(EndReason.FAILED, "media failed: " + why);
  }

  /** Starts watching, from now; the call has just been answered. */
  void start() {
    if (running) {
      return;
    }
    running = true;
    lastChange = context.now();
    schedule();
  }

  void stop() {
    running = false;
    next.cancel();
  }

  private void schedule() {
    Duration interval = timeout.isZero() ? MAX_INTERVAL : timeout.dividedBy(4);
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      interval = MIN_INTERVAL;
    } else if (interval.compareTo(MAX_INTERVAL) > 0) {
      interval = MAX_INTERVAL;
    }
    next = context.schedule(call, interval, this::check);
  }

  private void check() {
    if (!running) {
      return;
    }
    context
        .media()
        .activity(call)
        .whenComplete((activity, error) -> context.onLoop(call, () -> seen(activity, error)));
  }

  private void seen(MediaActivity activity, Throwable error) {
    if (!running) {
      return;
    }
    Instant now = context.now();
    if (error != null) {
      // counters unknown this time: neither proof of life nor of silence
      log.debug("media activity unavailable: {}", error.toString());
    } else if (activity.failure().isPresent()) {
      running = false;
      log.info("media failed: {}; ending the call", activity.failure().get());
      onFailure.accept(activity.failure().get());
      return;
    } else if (activity.packetsFromSip() != packets) {
      packets = activity.packetsFromSip();
      lastChange = now;
    }
    if (!timeout.isZero() && Duration.between(lastChange, now).compareTo(timeout) >= 0) {
      running = false;
      log.info("no media from the SIP side for {} s: ending the call", timeout.toSeconds());
      onSilence.run();
      return;
    }
    schedule();
  }
}

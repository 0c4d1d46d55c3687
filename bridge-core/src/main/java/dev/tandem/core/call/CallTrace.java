package dev.tandem.core.call;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.EndReason;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One call's record as it goes: the call tells it when it rang, was answered, which final SIP
 * status it sent or got, and why it ended; the trace stamps the time, keeps the {@link CallRecord}
 * and publishes the {@link CallEvent}s — each at most once, in order, and nothing after the end.
 * The one place calls turn into events. Confined to the signaling loop.
 */
final class CallTrace {
  private final CallTraces traces;
  private CallRecord record;
  private boolean ended;

  CallTrace(CallRecord started, CallTraces traces) {
    this.record = started;
    this.traces = traces;
  }

  /** The call's record as of now. */
  CallRecord record() {
    return record;
  }

  /** The caller is told the callee rings; only the first time counts. */
  void ringing() {
    if (ended || record.ringing().isPresent() || record.answered().isPresent()) {
      return;
    }
    record = withSipCallId().withRinging(traces.now());
    traces.publish(new CallEvent.Ringing(record));
  }

  /** The call is connected end to end. */
  void answered() {
    if (ended || record.answered().isPresent()) {
      return;
    }
    record = withSipCallId().withAnswered(traces.now());
    traces.publish(new CallEvent.Answered(record));
  }

  /** The final SIP status of the call's INVITE, sent or received. */
  void sipCode(int code) {
    if (!ended) {
      record = record.withSipCode(code);
    }
  }

  /** The call ended, with no media through the bridge (or none allocated). */
  void ended(EndReason reason) {
    ended(reason, CompletableFuture.completedFuture(Optional.empty()));
  }

  /**
   * The call ended; its {@link CallEvent.Ended} goes out once the media backend's final figures are
   * in (at once when {@code media} is already complete), on the signaling loop. Only the first end
   * counts.
   */
  void ended(EndReason reason, CompletionStage<Optional<MediaStats>> media) {
    if (ended) {
      return;
    }
    ended = true;
    record = withSipCallId().withEnd(traces.now(), reason);
    CompletableFuture<Optional<MediaStats>> stats = media.toCompletableFuture();
    if (stats.isDone()) {
      publishEnd(
          stats.handle((s, error) -> error == null ? s : Optional.<MediaStats>empty()).join());
    } else {
      stats.whenComplete(
          (s, error) ->
              traces.later(
                  record.callId(),
                  () -> publishEnd(error == null ? s : Optional.<MediaStats>empty())));
    }
  }

  private void publishEnd(Optional<MediaStats> media) {
    record = media.map(record::withMedia).orElse(record);
    traces.publish(new CallEvent.Ended(record));
  }

  private CallRecord withSipCallId() {
    Optional<String> sip = traces.sipCallId(record.callId());
    return sip.isPresent() ? record.withSipCallId(sip) : record;
  }
}

package dev.tandem.core.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A step in a call's life, with the call's record as of then. Every call that starts ends exactly
 * once: a {@link Started} is followed, in this order, by at most one {@link Ringing}, at most one
 * {@link Answered}, and exactly one {@link Ended} — also when the bridge shuts down, the media
 * fails or the call is transferred away.
 */
public sealed interface CallEvent {
  CallRecord record();

  /** When the step happened, on the bridge's clock. */
  Instant time();

  /** The call was placed (a browser's invite accepted, a SIP INVITE admitted). */
  record Started(CallRecord record) implements CallEvent {
    public Started {
      Objects.requireNonNull(record, "record");
    }

    @Override
    public Instant time() {
      return record.invited();
    }
  }

  /** The caller was first told the callee rings. */
  record Ringing(CallRecord record) implements CallEvent {
    public Ringing {
      Objects.requireNonNull(record, "record");
      if (record.ringing().isEmpty()) {
        throw new IllegalArgumentException("a ringing event's record has its ringing time");
      }
    }

    @Override
    public Instant time() {
      return record.ringing().orElseThrow();
    }
  }

  /** The call was connected end to end. */
  record Answered(CallRecord record) implements CallEvent {
    public Answered {
      Objects.requireNonNull(record, "record");
      if (record.answered().isEmpty()) {
        throw new IllegalArgumentException("an answered event's record has its answer time");
      }
    }

    @Override
    public Instant time() {
      return record.answered().orElseThrow();
    }
  }

  /**
   * The call ended; its record is complete (with the media's figures when its media passed the
   * bridge: the event waits for the backend's final counters, never the call itself).
   */
  record Ended(CallRecord record) implements CallEvent {
    public Ended {
      Objects.requireNonNull(record, "record");
      if (record.ended().isEmpty() || record.endReason().isEmpty()) {
        throw new IllegalArgumentException("an ended event's record has its end time and reason");
      }
    }

    @Override
    public Instant time() {
      return record.ended().orElseThrow();
    }
  }
}

package dev.tandem.app.events;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Calls and their events as the switchboard would publish them. */
final class SampleCalls {
  static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

  private SampleCalls() {}

  /** An answered browser → SIP call that the SIP side hung up, with media figures. */
  static CallRecord answered(String callId) {
    return CallRecord.started(
            new CallId(callId),
            Optional.of("sip-" + callId + "@127.0.0.1"),
            CallRecord.Direction.OUTBOUND,
            "alice",
            "555",
            Optional.of("pbx"),
            T0)
        .withRinging(T0.plusMillis(300))
        .withAnswered(T0.plusMillis(2300))
        .withSipCode(200)
        .withEnd(T0.plusMillis(12_300), EndReason.REMOTE_HANGUP)
        .withMedia(
            new MediaStats(
                new MediaStats.Flow(500, 86_000, OptionalLong.of(2), OptionalLong.of(40)),
                new MediaStats.Flow(498, 85_656, OptionalLong.empty(), OptionalLong.empty())));
  }

  /** The four events of {@link #answered}, each with the record as of then. */
  static List<CallEvent> events(String callId) {
    CallRecord full = answered(callId);
    CallRecord started =
        CallRecord.started(
            full.callId(),
            full.sipCallId(),
            full.direction(),
            full.from(),
            full.to(),
            full.destination(),
            full.invited());
    CallRecord ringing = started.withRinging(full.ringing().orElseThrow());
    CallRecord answered = ringing.withAnswered(full.answered().orElseThrow()).withSipCode(200);
    return List.of(
        new CallEvent.Started(started),
        new CallEvent.Ringing(ringing),
        new CallEvent.Answered(answered),
        new CallEvent.Ended(full));
  }
}

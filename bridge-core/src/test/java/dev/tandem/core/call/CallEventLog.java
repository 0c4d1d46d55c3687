package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.events.CallEvent;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.vocabulary.CallId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A listener that keeps every call event, and checks the rules every call's events follow. */
final class CallEventLog implements CallEventListener {
  private static final List<String> ORDER = List.of("Started", "Ringing", "Answered", "Ended");

  final List<CallEvent> events = new ArrayList<>();

  @Override
  public void on(CallEvent event) {
    events.add(event);
  }

  /** The steps of one call, in the order they were told: Started, Ringing, ... */
  List<String> steps(CallId id) {
    return events.stream()
        .filter(e -> e.record().callId().equals(id))
        .map(e -> e.getClass().getSimpleName())
        .toList();
  }

  /** The complete record of an ended call. */
  CallRecord ended(CallId id) {
    List<CallRecord> ended =
        events.stream()
            .filter(e -> e instanceof CallEvent.Ended && e.record().callId().equals(id))
            .map(CallEvent::record)
            .toList();
    assertThat(ended).as("one ended event for " + id).hasSize(1);
    return ended.get(0);
  }

  /** The only call that had events. */
  CallId onlyCall() {
    List<CallId> ids = events.stream().map(e -> e.record().callId()).distinct().toList();
    assertThat(ids).hasSize(1);
    return ids.get(0);
  }

  /**
   * Every call started once, then rang and was answered at most once each, in that order, and ended
   * exactly once, last; each event's time is its record's.
   */
  void assertEveryCallEndedOnce() {
    Map<CallId, List<String>> byCall = new LinkedHashMap<>();
    for (CallEvent e : events) {
      byCall
          .computeIfAbsent(e.record().callId(), id -> new ArrayList<>())
          .add(e.getClass().getSimpleName());
    }
    byCall.forEach(
        (id, steps) -> {
          assertThat(steps).as("events of " + id).startsWith("Started").endsWith("Ended");
          int last = -1;
          for (String step : steps) {
            int at = ORDER.indexOf(step);
            assertThat(at)
                .as("events of " + id + " in order, each once: " + steps)
                .isGreaterThan(last);
            last = at;
          }
        });
    for (CallEvent e : events) {
      assertThat(e.time()).isAfterOrEqualTo(e.record().invited());
    }
  }
}

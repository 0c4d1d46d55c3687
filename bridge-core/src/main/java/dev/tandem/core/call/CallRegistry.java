package dev.tandem.core.call;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.vocabulary.CallId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The calls the switchboard holds, with what it asks of them often kept as counts, so that no
 * request costs a walk over every call or session: calls per user (the calls-per-user limit) and
 * the sessions each call was shown to (to forget it there when it ends). Confined to the signaling
 * loop.
 */
final class CallRegistry {
  private final Map<CallId, Call> calls = new LinkedHashMap<>();
  private final Map<String, Integer> perUser = new HashMap<>();
  private final Map<CallId, Set<SessionId>> shownTo = new HashMap<>();
  private final Map<CallId, Instant> since = new HashMap<>();
  private final Supplier<Instant> clock;

  CallRegistry() {
    this(() -> Instant.EPOCH);
  }

  /**
   * @param clock when a call is added (its "since" in the admin API)
   */
  CallRegistry(Supplier<Instant> clock) {
    this.clock = clock;
  }

  void add(Call call) {
    calls.put(call.id(), call);
    since.put(call.id(), clock.get());
    for (String user : call.users()) {
      perUser.merge(user, 1, Integer::sum);
    }
  }

  Call get(CallId id) {
    return calls.get(id);
  }

  /** Records that {@code session} knows of the call (caller, ringing callee). */
  void shownTo(CallId id, SessionId session) {
    shownTo.computeIfAbsent(id, c -> new LinkedHashSet<>()).add(session);
  }

  /** Forgets a call that ended; returns the sessions it was shown to. */
  Set<SessionId> remove(CallId id) {
    Call call = calls.remove(id);
    since.remove(id);
    if (call != null) {
      for (String user : call.users()) {
        perUser.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
      }
    }
    Set<SessionId> sessions = shownTo.remove(id);
    return sessions == null ? Set.of() : sessions;
  }

  /** How many calls {@code user} is a party of. */
  int countOf(String user) {
    return perUser.getOrDefault(user, 0);
  }

  /** When {@code id} was added. */
  Instant since(CallId id) {
    return since.getOrDefault(id, Instant.EPOCH);
  }

  List<Call> all() {
    return new ArrayList<>(calls.values());
  }

  int size() {
    return calls.size();
  }
}

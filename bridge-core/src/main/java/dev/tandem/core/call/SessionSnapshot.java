package dev.tandem.core.call;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.vocabulary.CallId;
import java.time.Instant;
import java.util.List;

/**
 * A browser session as it was when asked ({@link Switchboard#sessionSnapshots}).
 *
 * @param connected whether its WebSocket is attached; false while it waits for a resume
 * @param since when it opened
 * @param calls the calls it is in (ringing or answered)
 */
public record SessionSnapshot(
    SessionId id, String user, boolean connected, Instant since, List<CallId> calls) {
  public SessionSnapshot {
    calls = List.copyOf(calls);
  }
}

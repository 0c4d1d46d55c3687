package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One browser session (a tab or device of a user). It outlives its connection: while detached,
 * events queue up for the resume, within the grace period and the queue limit. Confined to the
 * signaling loop.
 */
final class Session {
  final SessionId id;
  final String user;

  /** What the user directory or the token said about the user when the session opened. */
  final UserProfile profile;

  /** When the session opened. */
  final Instant since;

  final Set<CallId> calls = new LinkedHashSet<>();
  String resumeToken;
  BrowserConnection connection;
  Cancellable expiry = Cancellable.NONE;
  private final Deque<BrowserEvent> queued = new ArrayDeque<>();
  private final int maxQueued;

  Session(
      SessionId id,
      UserProfile profile,
      String resumeToken,
      BrowserConnection connection,
      int maxQueued,
      Instant since) {
    this.id = id;
    this.since = since;
    this.profile = profile;
    this.user = profile.user();
    this.resumeToken = resumeToken;
    this.connection = connection;
    this.maxQueued = maxQueued;
  }

  /**
   * Sends now, or queues while detached.
   *
   * @return false when the queue is full: the session cannot be resumed without losing events
   */
  boolean deliver(BrowserEvent event) {
    if (connection != null) {
      connection.deliver(event);
      return true;
    }
    if (queued.size() >= maxQueued) {
      return false;
    }
    queued.add(event);
    return true;
  }

  /** Attaches a new connection and sends it what queued up meanwhile, in order. */
  void attach(BrowserConnection next) {
    connection = next;
    expiry.cancel();
    expiry = Cancellable.NONE;
    while (!queued.isEmpty()) {
      next.deliver(queued.poll());
    }
  }

  boolean isAttached() {
    return connection != null;
  }
}

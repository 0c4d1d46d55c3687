package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.core.vocabulary.Refusal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser sessions: opened per authenticated user (at most {@code sessions.max-per-user}),
 * resumed by token within the grace period after their connection dropped, and ended for good when
 * that period is over, or at once when the browser closed the connection cleanly. Tells {@link
 * UserPresence} when a user's first session opens and the last one ends. Confined to the signaling
 * loop.
 */
final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionSettings settings;
  private final Scheduler scheduler;
  private final Map<SessionId, Session> byId = new HashMap<>();
  private final Map<String, Session> byResumeToken = new HashMap<>();
  private final Map<String, List<Session>> byUser = new HashMap<>();
  private UserPresence presence = UserPresence.NONE;

  /** What happens when a session ends for good (its calls are told), with why. */
  private final BiConsumer<Session, String> ended;

  private NodeId node = NodeId.SINGLE;

  Sessions(SessionSettings settings, Scheduler scheduler, BiConsumer<Session, String> ended) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.ended = ended;
  }

  /**
   * New limits (a configuration reload): they apply to sessions opened and connections dropped from
   * now on; a session over the new {@code max-per-user} keeps going.
   */
  void settings(SessionSettings settings) {
    this.settings = settings;
  }

  void watchPresence(UserPresence presence) {
    this.presence = presence;
  }

  /** The node whose name starts every resume token from now on. */
  void node(NodeId node) {
    this.node = node;
  }

  NodeId node() {
    return node;
  }

  /**
   * A fresh resume token: the node's id, a dot, and 24 random bytes — so that a WebSocket load
   * balancer, or a person reading a log, can tell which node holds the session.
   */
  private String resumeToken() {
    return node.value() + "." + token(24);
  }

  /** A new session for {@code user}, or why not. */
  Result open(UserProfile profile, BrowserConnection connection) {
    String user = profile.user();
    List<Session> ofUser = ofUser(user);
    if (ofUser.size() >= settings.maxPerUser()) {
      return new Result(
          null,
          Refusal.TOO_MANY_SESSIONS,
          user + " already has " + ofUser.size() + " sessions (the limit)");
    }
    Session session =
        new Session(
            new SessionId(token(12)),
            profile,
            resumeToken(),
            connection,
            settings.maxQueuedEvents(),
            scheduler.now());
    byId.put(session.id, session);
    byResumeToken.put(session.resumeToken, session);
    boolean first = !byUser.containsKey(user);
    byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(session);
    log.info("session {} opened for {}", session.id, user);
    if (first) {
      presence.online(user);
    }
    return new Result(session, null, null);
  }

  /** A session opened, or the refusal and why. */
  record Result(Session session, Refusal refusal, String why) {}

  /**
   * The session {@code resumeToken} names, detached from its connection (a connection still
   * attached is closed with 4409) and with a fresh token; empty when unknown or expired.
   */
  Optional<Session> resume(String resumeToken, BrowserConnection connection) {
    Session session = byResumeToken.remove(resumeToken);
    if (session == null) {
      return Optional.empty();
    }
    if (session.connection != null && session.connection != connection) {
      session.connection.close(4409, "session resumed on another connection");
    }
    session.resumeToken = resumeToken();
    byResumeToken.put(session.resumeToken, session);
    session.connection = null;
    log.info("session {} of {} resumed", session.id, session.user);
    return Optional.of(session);
  }

  /**
   * The connection of a session dropped: it waits for a resume until the grace period ends. Ignored
   * when the session has moved on to another connection meanwhile.
   */
  void disconnected(SessionId id, BrowserConnection connection) {
    Session session = byId.get(id);
    if (session == null || session.connection != connection) {
      return;
    }
    session.connection = null;
    session.expiry =
        scheduler.schedule(
            settings.resumeGrace(), () -> expire(session, "resume grace period over"));
    log.info(
        "session {} of {} disconnected; {} to resume", id, session.user, settings.resumeGrace());
  }

  /**
   * The browser closed the session's connection cleanly (logout, page closed): the session ends at
   * once and frees its place among {@code sessions.max-per-user}; its calls end as after the grace
   * period. Ignored when the session has moved on to another connection meanwhile.
   */
  void closed(SessionId id, BrowserConnection connection) {
    Session session = byId.get(id);
    if (session == null || session.connection != connection) {
      return;
    }
    session.connection = null;
    expire(session, "closed by the browser");
  }

  Session get(SessionId id) {
    return byId.get(id);
  }

  /** The sessions of {@code user}, in the order they opened. */
  List<Session> ofUser(String user) {
    return byUser.getOrDefault(user, List.of());
  }

  List<Session> all() {
    return new ArrayList<>(byId.values());
  }

  int size() {
    return byId.size();
  }

  /** Ends a session for good: its calls are told, its connection closed with 1008. */
  void expire(Session session, String why) {
    expire(session, why, 1008);
  }

  /** Ends a session for good: its calls are told, its connection closed with {@code closeCode}. */
  void expire(Session session, String why, int closeCode) {
    if (byId.get(session.id) != session) {
      return;
    }
    log.info("session {} of {} ended: {}", session.id, session.user, why);
    forget(session);
    ended.accept(session, why);
    if (session.connection != null) {
      session.connection.close(closeCode, why);
    }
  }

  /** Drops a session without telling its calls (the bridge is stopping: they end anyway). */
  void forget(Session session) {
    byId.remove(session.id);
    byResumeToken.remove(session.resumeToken);
    session.expiry.cancel();
    List<Session> ofUser = byUser.get(session.user);
    if (ofUser != null) {
      ofUser.remove(session);
      if (ofUser.isEmpty()) {
        byUser.remove(session.user);
        presence.offline(session.user);
      }
    }
  }

  /** A random URL-safe token of {@code bytes} random bytes (ids, resume tokens, refer ids). */
  static String token(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}

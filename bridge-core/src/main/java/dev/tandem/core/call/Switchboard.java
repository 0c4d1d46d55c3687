package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.Routing;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.FailoverLeg;
import dev.tandem.core.sip.ForkedLeg;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipInbound;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.sip.SipTarget;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns every browser session and every call, and routes between them: a browser's request becomes a
 * call's transition, a call's events reach the right sessions (or wait for a resume).
 *
 * <p>Threading: the public methods may be called from any thread; each hops onto the signaling
 * loop, where all state lives, and completes its future there. Events reach {@link
 * BrowserConnection}s from the loop, in order per call.
 */
public final class Switchboard implements BridgeContext, SipInbound {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Browser user names: what JWT {@code sub} and static users may be. */
  public static final Pattern USER_NAME = DialPlan.USER_NAME;

  private static final String MDC_CALL_ID = "callId";

  private final Executor loop;
  private final Scheduler scheduler;
  private final SessionSettings sessionSettings;
  private final CallSettings callSettings;
  private final SdpCheck sdpCheck;
  private final Optional<Bridging> bridging;
  private final Map<SessionId, Session> sessions = new HashMap<>();
  private final Map<String, Session> byResumeToken = new HashMap<>();
  private final Map<String, List<Session>> byUser = new HashMap<>();
  private final Map<CallId, Call> calls = new LinkedHashMap<>();
  private final List<Runnable> deferred = new ArrayList<>();
  private boolean stopping;

  /** A browser's request is being handled: its events wait for its reply ({@link #deliver}). */
  private boolean answering;

  /**
   * @param loop runs every state change, one at a time (the {@link SignalingLoop}, or a direct
   *     executor in tests)
   * @param scheduler timers, firing on the same loop
   */
  private volatile UserPresence presence = UserPresence.NONE;

  public Switchboard(
      Executor loop,
      Scheduler scheduler,
      SessionSettings sessionSettings,
      CallSettings callSettings,
      SdpCheck sdpCheck) {
    this(loop, scheduler, sessionSettings, callSettings, sdpCheck, Optional.empty());
  }

  /** A switchboard that also bridges calls to and from SIP. */
  public Switchboard(
      Executor loop,
      Scheduler scheduler,
      SessionSettings sessionSettings,
      CallSettings callSettings,
      SdpCheck sdpCheck,
      Optional<Bridging> bridging) {
    this.loop = loop;
    this.scheduler = scheduler;
    this.sessionSettings = sessionSettings;
    this.callSettings = callSettings;
    this.sdpCheck = sdpCheck;
    this.bridging = bridging;
  }

  /** Who is told when users come online and go offline (upstream registration); before use. */
  public void watchPresence(UserPresence presence) {
    this.presence = presence;
  }

  /** Opens a new session for an authenticated user on {@code connection}. */
  public CompletableFuture<SessionOutcome> open(String user, BrowserConnection connection) {
    CompletableFuture<SessionOutcome> result = new CompletableFuture<>();
    open(user, connection, result::complete);
    return result;
  }

  /**
   * Opens a new session; {@code reply} runs on the signaling loop before any event of the session
   * is delivered.
   */
  public void open(String user, BrowserConnection connection, Consumer<SessionOutcome> reply) {
    onLoop(
        () -> {
          if (stopping) {
            return new SessionOutcome.Refused(Refusal.UNAVAILABLE, "the bridge is stopping");
          }
          List<Session> ofUser = byUser.getOrDefault(user, List.of());
          if (ofUser.size() >= sessionSettings.maxPerUser()) {
            return new SessionOutcome.Refused(
                Refusal.TOO_MANY_SESSIONS,
                user + " already has " + ofUser.size() + " sessions (the limit)");
          }
          Session session =
              new Session(
                  new SessionId(token(12)),
                  user,
                  token(24),
                  connection,
                  sessionSettings.maxQueuedEvents());
          sessions.put(session.id, session);
          byResumeToken.put(session.resumeToken, session);
          boolean first = !byUser.containsKey(user);
          byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(session);
          log.info("session {} opened for {}", session.id, user);
          if (first) {
            presence.online(user);
          }
          return opened(session);
        },
        reply);
  }

  /**
   * Resumes a session whose connection dropped, within its grace period; its queued events follow
   * on the new connection. A connection still attached is closed with 4409.
   */
  public CompletableFuture<SessionOutcome> resume(
      String resumeToken, BrowserConnection connection) {
    CompletableFuture<SessionOutcome> result = new CompletableFuture<>();
    resume(resumeToken, connection, result::complete);
    return result;
  }

  /**
   * Resumes a session; {@code reply} runs on the signaling loop before the events that queued up
   * while the session was detached.
   */
  public void resume(
      String resumeToken, BrowserConnection connection, Consumer<SessionOutcome> reply) {
    onLoop(
        () -> {
          Session session = byResumeToken.remove(resumeToken);
          if (session == null || stopping) {
            return new SessionOutcome.Refused(
                Refusal.RESUME_EXPIRED, "unknown or expired resume token");
          }
          if (session.connection != null && session.connection != connection) {
            session.connection.close(4409, "session resumed on another connection");
          }
          session.resumeToken = token(24);
          byResumeToken.put(session.resumeToken, session);
          session.connection = null;
          after(() -> session.attach(connection));
          log.info("session {} of {} resumed", session.id, session.user);
          return opened(session);
        },
        reply);
  }

  /**
   * The connection of a session dropped: its calls wait for a resume until the grace period ends.
   * Ignored when the session has moved on to another connection meanwhile.
   */
  public void disconnected(SessionId id, BrowserConnection connection) {
    loop.execute(
        () -> {
          Session session = sessions.get(id);
          if (session == null || session.connection != connection) {
            return;
          }
          session.connection = null;
          session.expiry =
              scheduler.schedule(
                  sessionSettings.resumeGrace(), () -> expire(session, "resume grace period over"));
          log.info(
              "session {} of {} disconnected; {} to resume",
              id,
              session.user,
              sessionSettings.resumeGrace());
        });
  }

  /** Handles one request of an open session. */
  public CompletableFuture<Outcome> request(SessionId id, BrowserRequest request) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    request(id, request, result::complete);
    return result;
  }

  /**
   * Handles one request; {@code reply} runs on the signaling loop before any event the request
   * causes, for any session (a caller learns its call id before it hears the call ring, a hangup is
   * answered before {@code call.ended}): the events wait in {@link #deliver} until the reply.
   */
  public void request(SessionId id, BrowserRequest request, Consumer<Outcome> reply) {
    onLoop(
        () -> {
          answering = true;
          try {
            return handle(id, request);
          } finally {
            answering = false;
          }
        },
        reply);
  }

  /** One request of a session, on the loop. */
  private Outcome handle(SessionId id, BrowserRequest request) {
    Session session = sessions.get(id);
    if (session == null) {
      return Outcome.Refused.of(Refusal.NOT_FOUND, "no such session");
    }
    if (request instanceof BrowserRequest.Invite invite) {
      return invite.referId().isPresent()
          ? referredInvite(session, invite)
          : invite(session, invite);
    }
    CallId callId = ((BrowserRequest.CallRequest) request).callId();
    Call call = calls.get(callId);
    if (call == null || !call.parties().contains(id)) {
      return Outcome.Refused.of(Refusal.NOT_FOUND, "no call " + callId + " in this session");
    }
    if (request instanceof BrowserRequest.Answer answer) {
      Optional<Outcome.Refused> bad = sdpCheck.check(answer.sdp());
      if (bad.isPresent()) {
        return bad.get();
      }
    } else if (request instanceof BrowserRequest.Update update) {
      Optional<Outcome.Refused> bad = sdpCheck.check(update.sdp());
      if (bad.isPresent()) {
        return bad.get();
      }
    }
    MDC.put(MDC_CALL_ID, callId.value());
    try {
      return call.on(id, request);
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  /** A REFER from a call's SIP peer, waiting for the browser to place the call it asks for. */
  private record Referral(CallId from, SessionId session, DialogLeg leg) {}

  private final Map<String, Referral> referrals = new HashMap<>();

  /** Calls placed to follow a REFER → the referral whose peer hears how they go (NOTIFY). */
  private final Map<CallId, Referral> referredCalls = new HashMap<>();

  /**
   * A browser's call that follows a SIP peer's REFER: placed like any other (the same dial plan and
   * permissions: a target the user may not dial is refused and the peer told 403), and its progress
   * reported to the referrer in NOTIFYs (RFC 3515 §2.4.5).
   */
  private Outcome referredInvite(Session caller, BrowserRequest.Invite invite) {
    String referId = invite.referId().orElseThrow();
    Referral referral = referrals.get(referId);
    if (referral == null || !referral.session().equals(caller.id)) {
      return Outcome.Refused.of(Refusal.NOT_FOUND, "no referral " + referId + " in this session");
    }
    referrals.remove(referId);
    Outcome outcome = invite(caller, invite);
    if (outcome instanceof Outcome.Refused refused) {
      SipReasons.Status status = SipReasons.refusal(refused.refusal());
      referral.leg().notifyRefer(status.code(), status.phrase());
    } else if (outcome instanceof Outcome.CallPlaced placed) {
      referredCalls.put(placed.callId(), referral); // the adapter sent 100 Trying with the 202
    }
    return outcome;
  }

  /** Tells a referrer how the call placed for its REFER goes. */
  private void reportToReferrer(BrowserEvent event) {
    Referral referral = referredCalls.get(event.callId());
    if (referral == null) {
      return;
    }
    if (event instanceof BrowserEvent.Ringing) {
      referral.leg().notifyRefer(SipReasons.RINGING);
    } else if (event instanceof BrowserEvent.Answered) {
      referredCalls.remove(event.callId());
      referral.leg().notifyRefer(SipReasons.OK);
    } else if (event instanceof BrowserEvent.Ended ended) {
      referredCalls.remove(event.callId());
      SipReasons.Status status = SipReasons.rejection(ended.reason());
      referral
          .leg()
          .notifyRefer(
              ended.sipCode().orElse(status.code()), ended.sipReason().orElse(status.phrase()));
    }
  }

  private final Transfers.Directory transferDirectory =
      new Transfers.Directory() {
        @Override
        public Transfers.Target target(
            String user, SessionId session, BrowserRequest.Transfer transfer) {
          if (transfer.replaces().isPresent()) {
            CallId other = transfer.replaces().get();
            Call call = calls.get(other);
            Optional<DialogLeg> leg =
                call instanceof SipOutboundCall o
                    ? o.answeredLeg(session)
                    : call instanceof SipInboundCall i ? i.answeredLeg(session) : Optional.empty();
            Optional<String> uri = leg.flatMap(DialogLeg::replacingUri);
            return uri.<Transfers.Target>map(Transfers.Target.Uri::new)
                .orElse(
                    new Transfers.Target.Refused(
                        Outcome.Refused.of(
                            Refusal.NOT_FOUND, "no answered SIP call " + other + " to replace")));
          }
          String to = transfer.to().orElseThrow().strip();
          Bridging b = bridging.orElseThrow();
          Optional<String> account = b.directory().account(to);
          if (account.isPresent()) {
            return new Transfers.Target.Uri(b.sip().localUri(account.get()));
          }
          Routing routing = b.dialPlan().route(user, to);
          if (routing instanceof Routing.Refused refused) {
            return new Transfers.Target.Refused(
                Outcome.Refused.of(
                    refused.forbidden() ? Refusal.FORBIDDEN : Refusal.NOT_FOUND,
                    refused.message()));
          }
          if (routing instanceof Routing.ToSip toSip) {
            return new Transfers.Target.Uri(toSip.route().requestUri());
          }
          return new Transfers.Target.Uri(b.sip().localUri(((Routing.ToUser) routing).user()));
        }

        @Override
        public String referred(CallId call, SessionId session, DialogLeg leg) {
          String referId = token(9);
          referrals.put(referId, new Referral(call, session, leg));
          return referId;
        }
      };

  @Override
  public Transfers.Directory transfers() {
    return transferDirectory;
  }

  private Outcome invite(Session caller, BrowserRequest.Invite invite) {
    if (stopping) {
      return Outcome.Refused.of(Refusal.UNAVAILABLE, "the bridge is stopping");
    }
    if (callsOf(caller.user) >= callSettings.maxPerUser()) {
      return Outcome.Refused.of(
          Refusal.TOO_MANY_CALLS,
          caller.user + " already has " + callSettings.maxPerUser() + " calls (the limit)");
    }
    Optional<String> account = bridging.flatMap(b -> b.directory().account(invite.to()));
    if (account.isPresent()) {
      Optional<Outcome.Refused> bad = sdpCheck.check(invite.sdp());
      if (bad.isPresent()) {
        return bad.get();
      }
      return callSip(
          caller, invite, bridging.get().directory().targets(account.get()), ForkedLeg::place);
    }
    Routing routing =
        bridging
            .map(b -> b.dialPlan())
            .orElse(DialPlan.usersOnly())
            .route(caller.user, invite.to());
    if (routing instanceof Routing.Refused refused) {
      return Outcome.Refused.of(
          refused.forbidden() ? Refusal.FORBIDDEN : Refusal.NOT_FOUND, refused.message());
    }
    Optional<Outcome.Refused> bad = sdpCheck.check(invite.sdp());
    if (bad.isPresent()) {
      return bad.get();
    }
    if (routing instanceof Routing.ToSip toSip) {
      DestinationHealth health = bridging.get().health();
      return callSip(
          caller,
          invite,
          toSip.routes().stream().map(r -> new SipTarget(r.destination(), r.requestUri())).toList(),
          (sip, invites, listener) -> FailoverLeg.place(sip, invites, health, listener));
    }
    String to = ((Routing.ToUser) routing).user();
    CallId id = CallId.random();
    MDC.put(MDC_CALL_ID, id.value());
    try {
      PeerCall call = new PeerCall(id, caller.id, caller.user, to, this);
      calls.put(id, call);
      caller.calls.add(id);
      List<SessionId> callee = new ArrayList<>();
      for (Session s : byUser.getOrDefault(to, List.of())) {
        if (!s.id.equals(caller.id)) {
          callee.add(s.id);
        }
      }
      log.info("call {} -> {} ({} sessions)", caller.user, to, callee.size());
      if (callee.isEmpty()) {
        after(() -> call.end(EndReason.UNAVAILABLE, to + " has no session"));
      } else if (callsOf(to) > callSettings.maxPerUser()) {
        after(
            () ->
                call.end(
                    EndReason.BUSY,
                    to + " is in " + callSettings.maxPerUser() + " calls (the limit)"));
      } else {
        callee.forEach(s -> sessions.get(s).calls.add(id));
        Scheduler.Cancellable timer =
            scheduler.schedule(callSettings.ringTimeout(), () -> ringTimeout(id));
        after(() -> call.ring(callee, invite.sdp(), timer));
      }
      return new Outcome.CallPlaced(id);
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  private Outcome callSip(
      Session caller,
      BrowserRequest.Invite invite,
      List<SipTarget> targets,
      SipOutboundCall.Placement placement) {
    Bridging b = bridging.orElseThrow();
    // a user with its own identity at a destination calls there as itself (upstream mode)
    targets =
        targets.stream()
            .map(
                t ->
                    b.identities()
                        .identity(caller.user, t.destination())
                        .map(
                            id ->
                                new SipTarget(
                                    t.destination().withCredentials(id.credentials()),
                                    t.requestUri(),
                                    Optional.of(id.fromUri())))
                        .orElse(t))
            .toList();
    CallId id = CallId.random();
    MDC.put(MDC_CALL_ID, id.value());
    try {
      SipOutboundCall call =
          new SipOutboundCall(
              id,
              caller.id,
              caller.user,
              invite.to().strip(),
              targets,
              placement,
              callSettings.ringTimeout(),
              this);
      calls.put(id, call);
      caller.calls.add(id);
      after(() -> call.start(invite.sdp()));
      return new Outcome.CallPlaced(id);
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  /** An INVITE from SIP to a browser user: rings every session of the user. */
  @Override
  public SipLegListener incoming(InboundInvite invite, InboundLeg leg) {
    CallId id = CallId.random();
    loop.execute(() -> withCallId(id, () -> placeInbound(id, invite, leg)));
    return new SipLegListener() {
      @Override
      public void on(dev.tandem.core.sip.SipLegEvent event) {
        onLoop(
            id,
            () -> {
              if (calls.get(id) instanceof SipInboundCall call) {
                call.onSip(event);
              } else if (calls.get(id) instanceof SipToSipCall call) {
                call.onCaller(event);
              } else if (event instanceof SipLegEvent.Referred referred) {
                Transfers.decline(leg, referred, "over");
              } else {
                log.debug("SIP {} for a call that is over", event);
              }
            });
      }

      @Override
      public Optional<CallId> callId() {
        return Optional.of(id);
      }
    };
  }

  private void placeInbound(CallId id, InboundInvite invite, InboundLeg leg) {
    String user = invite.toUser();
    if (stopping || bridging.isEmpty()) {
      leg.reject(SipReasons.SERVICE_UNAVAILABLE);
      return;
    }
    Optional<String> account = bridging.get().directory().account(user);
    if (account.isPresent()) {
      SipToSipCall call = new SipToSipCall(id, invite, leg, this);
      calls.put(id, call);
      call.start(this, bridging.get().directory().targets(account.get()), work -> onLoop(id, work));
      return;
    }
    List<Session> sessionsOfUser = byUser.getOrDefault(user, List.of());
    if (!USER_NAME.matcher(user).matches() || sessionsOfUser.isEmpty()) {
      log.info("SIP call from {} to {}: no session", invite.from(), user);
      leg.reject(SipReasons.TEMPORARILY_UNAVAILABLE);
      return;
    }
    if (callsOf(user) >= callSettings.maxPerUser()) {
      leg.reject(SipReasons.BUSY_HERE);
      return;
    }
    Optional<Outcome.Refused> bad = sdpCheck.check(invite.sdp());
    if (bad.isPresent()) {
      leg.reject(SipReasons.NOT_ACCEPTABLE_HERE);
      return;
    }
    SipInboundCall call = new SipInboundCall(id, invite, leg, this);
    calls.put(id, call);
    List<SessionId> ringing = new ArrayList<>();
    for (Session s : sessionsOfUser) {
      s.calls.add(id);
      ringing.add(s.id);
    }
    call.start(ringing, callSettings.ringTimeout());
  }

  @Override
  public void onLoop(CallId call, Runnable work) {
    loop.execute(() -> withCallId(call, work));
  }

  @Override
  public Scheduler.Cancellable schedule(CallId call, Duration delay, Runnable work) {
    return scheduler.schedule(delay, () -> withCallId(call, work));
  }

  @Override
  public Instant now() {
    return scheduler.now();
  }

  @Override
  public Duration mediaTimeout() {
    return callSettings.mediaTimeout();
  }

  @Override
  public MediaBackend media() {
    return bridging.orElseThrow().media();
  }

  @Override
  public SipSide sip() {
    return bridging.orElseThrow().sip();
  }

  private static void withCallId(CallId id, Runnable work) {
    MDC.put(MDC_CALL_ID, id.value());
    try {
      work.run();
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  private void ringTimeout(CallId id) {
    if (calls.get(id) instanceof PeerCall call) {
      MDC.put(MDC_CALL_ID, id.value());
      try {
        call.ringTimeout();
      } finally {
        MDC.remove(MDC_CALL_ID);
      }
    }
  }

  /** Ends every call with {@code server-shutdown} and closes every connection. */
  public CompletableFuture<Void> shutdown() {
    return onLoop(
        () -> {
          stopping = true;
          for (Call call : List.copyOf(calls.values())) {
            call.end(EndReason.SERVER_SHUTDOWN, "bridge stopping");
          }
          for (Session session : List.copyOf(sessions.values())) {
            if (session.connection != null) {
              session.connection.close(1001, "server shutdown");
            }
            forget(session);
          }
          return null;
        });
  }

  /** How many sessions and calls are held; zero of each once everything has ended. */
  public CompletableFuture<Counts> counts() {
    return onLoop(() -> new Counts(sessions.size(), calls.size()));
  }

  /** Sessions and calls currently held. */
  public record Counts(int sessions, int calls) {}

  /**
   * Delivers a call's event; while a request is being handled, after its reply instead, so that for
   * every request the response comes before the events it caused (docs/protocol.md), in the order
   * they happened. This is the one place that rule is kept: calls deliver as they go.
   */
  @Override
  public void deliver(SessionId id, BrowserEvent event) {
    if (answering) {
      after(() -> deliverNow(id, event));
    } else {
      deliverNow(id, event);
    }
  }

  private void deliverNow(SessionId id, BrowserEvent event) {
    Session session = sessions.get(id);
    if (session == null) {
      return;
    }
    if (event instanceof BrowserEvent.Ended ended) {
      session.calls.remove(ended.callId());
    }
    if (!referredCalls.isEmpty()) {
      reportToReferrer(event);
    }
    if (!session.deliver(event)) {
      log.warn("session {} of {} missed too many events while disconnected", id, session.user);
      expire(session, "event queue full while disconnected");
    }
  }

  @Override
  public void ended(Call call) {
    calls.remove(call.id());
    referrals.values().removeIf(r -> r.from().equals(call.id()));
    for (Session session : sessions.values()) {
      session.calls.remove(call.id());
    }
  }

  private void expire(Session session, String why) {
    if (sessions.get(session.id) != session) {
      return;
    }
    log.info("session {} of {} ended: {}", session.id, session.user, why);
    forget(session);
    for (CallId callId : List.copyOf(session.calls)) {
      Call call = calls.get(callId);
      if (call != null) {
        call.sessionGone(session.id);
      }
    }
    if (session.connection != null) {
      session.connection.close(1008, why);
    }
  }

  private void forget(Session session) {
    sessions.remove(session.id);
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

  private SessionOutcome.Opened opened(Session session) {
    List<SessionOutcome.CallSummary> summaries = new ArrayList<>();
    for (CallId id : session.calls) {
      Call call = calls.get(id);
      if (call != null) {
        summaries.add(call.summary(session.id));
      }
    }
    return new SessionOutcome.Opened(session.id, session.user, session.resumeToken, summaries);
  }

  private int callsOf(String user) {
    int count = 0;
    for (Call call : calls.values()) {
      if (call.involves(user)) {
        count++;
      }
    }
    return count;
  }

  private <T> CompletableFuture<T> onLoop(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    onLoop(work, result::complete);
    return result;
  }

  /** Runs {@code work} on the loop, hands its result to {@code reply}, then the deferred work. */
  private <T> void onLoop(Supplier<T> work, Consumer<T> reply) {
    loop.execute(
        () -> {
          T result;
          try {
            result = work.get();
          } catch (RuntimeException e) {
            deferred.clear();
            throw e;
          }
          reply.accept(result);
          while (!deferred.isEmpty()) {
            deferred.remove(0).run();
          }
        });
  }

  /** Defers {@code work} until the current request has been answered. */
  private void after(Runnable work) {
    String callId = MDC.get(MDC_CALL_ID);
    deferred.add(
        () -> {
          if (callId != null) {
            MDC.put(MDC_CALL_ID, callId);
          }
          try {
            work.run();
          } finally {
            MDC.remove(MDC_CALL_ID);
          }
        });
  }

  private static String token(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}

package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.events.CallEventListener;
import dev.tandem.core.inbound.InboundPolicy;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipInbound;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.LoggingKeys;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
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
 * Core's front door: browser sessions' requests and SIP's INVITEs come in here, hop onto the
 * signaling loop, and go to the part with that job — {@link Sessions} (open, resume, expire),
 * {@link Dialer} (a browser's new call), {@link InboundCalls} (an INVITE from SIP), {@link
 * Referrals} (transfers), the calls themselves ({@link CallRegistry}). Its own job is the order on
 * the wire: a request's reply comes before the events it causes ({@link #deliver}).
 *
 * <p>Threading: the public methods may be called from any thread; each hops onto the signaling
 * loop, where all state lives, and completes its future there. Events reach {@link
 * BrowserConnection}s from the loop, in order per call.
 */
public final class Switchboard implements BridgeContext, SipInbound {
  private static final Logger log = LoggerFactory.getLogger(Switchboard.class);

  /** Browser user names: what JWT {@code sub} and static users may be. */
  public static final Pattern USER_NAME = DialPlan.USER_NAME;

  private volatile SipMediaPolicy sipMediaPolicy = SipMediaPolicy.PLAIN;
  private final Executor loop;
  private final Scheduler scheduler;
  private final CallRules rules;
  private final SdpCheck sdpCheck;
  private final CallRegistry calls;
  private final CallLogging logging = new CallLogging();
  private final CallTraces traces;
  private final Sessions sessions;
  private final Referrals referrals;
  private final Dialer dialer;
  private final InboundCalls inbound;
  private final Deque<Runnable> deferred = new ArrayDeque<>();
  private Intake intake = Intake.OPEN;

  /** Completes once draining and no call is left. */
  private final CompletableFuture<Void> drained = new CompletableFuture<>();

  /** A browser's request is being handled: its events wait for its reply ({@link #deliver}). */
  private boolean answering;

  /**
   * @param loop runs every state change, one at a time (the {@link SignalingLoop}, or a direct
   *     executor in tests)
   * @param scheduler timers, firing on the same loop
   */
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
    this.rules = new CallRules(callSettings, bridging);
    this.sdpCheck = sdpCheck;
    this.calls = new CallRegistry(scheduler::now);
    // an Ended that waits for media figures comes back on a media thread: straight onto the loop,
    // in the call's log context, without learning a SIP Call-ID from that thread's
    this.traces =
        new CallTraces(
            scheduler::now, logging, (id, work) -> loop.execute(() -> logging.run(id, work)));
    this.sessions = new Sessions(sessionSettings, scheduler, this::sessionEnded);
    this.referrals = new Referrals(calls, rules);
    this.dialer =
        new Dialer(
            calls,
            sessions,
            rules,
            sdpCheck,
            scheduler,
            this,
            this::after,
            () -> intake,
            logging,
            traces);
    this.inbound = new InboundCalls(calls, sessions, rules, sdpCheck, this, () -> intake, traces);
    bridging.ifPresent(b -> b.media().onKeyframeWanted(this::keyframeWanted));
  }

  /**
   * Adds a listener of every call's events (metrics, call records, webhooks); before use. Listeners
   * are told in the order they were added, on the signaling loop: see {@link CallEventListener}.
   */
  public void listen(CallEventListener listener) {
    traces.listen(listener);
  }

  /**
   * The inbound table and trust rule for INVITEs from SIP; before use. Without one, every source
   * may ring and a called name rings that user ({@link InboundPolicy#UNCHECKED}).
   */
  public void routeInbound(InboundPolicy policy) {
    inbound.policy(policy);
  }

  /**
   * How the SIP side of calls protects its media, per destination and registrar phone; before use.
   * Without one, plain RTP everywhere ({@link SipMediaPolicy#PLAIN}; an SDES offer from SIP is
   * still answered with SDES).
   */
  public void encryptSipMedia(SipMediaPolicy policy) {
    this.sipMediaPolicy = java.util.Objects.requireNonNull(policy, "policy");
  }

  @Override
  public SipMediaPolicy sipMediaPolicy() {
    return sipMediaPolicy;
  }

  /**
   * This bridge's node id, which starts its resume tokens and is in every session result; before
   * use. Without one, {@link NodeId#SINGLE}.
   */
  public void identify(NodeId node) {
    sessions.node(java.util.Objects.requireNonNull(node, "node"));
  }

  /** Who is told when users come online and go offline (upstream registration); before use. */
  public void watchPresence(UserPresence presence) {
    sessions.watchPresence(presence);
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
    open(UserProfile.of(user), connection, reply);
  }

  /**
   * Opens a new session for an authenticated user whose directory entry or token says more than its
   * name (display name, number); {@code reply} as in {@link #open(String, BrowserConnection,
   * Consumer)}.
   */
  public void open(
      UserProfile profile, BrowserConnection connection, Consumer<SessionOutcome> reply) {
    onLoop(
        () -> {
          if (!intake.isOpen()) {
            return new SessionOutcome.Refused(
                Refusal.UNAVAILABLE, intake.refusedBecause().orElseThrow());
          }
          Sessions.Result opened = sessions.open(profile, connection);
          return opened.session() == null
              ? new SessionOutcome.Refused(opened.refusal(), opened.why())
              : opened(opened.session());
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
          Optional<Session> resumed =
              intake == Intake.STOPPING
                  ? Optional.empty()
                  : sessions.resume(resumeToken, connection);
          if (resumed.isEmpty()) {
            return new SessionOutcome.Refused(Refusal.RESUME_EXPIRED, resumeRefusal(resumeToken));
          }
          Session session = resumed.get();
          after(() -> session.attach(connection));
          return opened(session);
        },
        reply);
  }

  /**
   * The connection of a session dropped: its calls wait for a resume until the grace period ends.
   * Ignored when the session has moved on to another connection meanwhile.
   */
  public void disconnected(SessionId id, BrowserConnection connection) {
    loop.execute(() -> sessions.disconnected(id, connection));
  }

  /**
   * The browser closed the connection of a session cleanly (WebSocket close 1000: the SDK's {@code
   * close()}, a page going away): the session ends at once, its calls with it, and its place among
   * {@code sessions.max-per-user} is free. Ignored when the session has moved on to another
   * connection meanwhile.
   */
  public void closed(SessionId id, BrowserConnection connection) {
    loop.execute(() -> sessions.closed(id, connection));
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
          ? referrals.invite(session, invite, dialer::invite)
          : dialer.invite(session, invite);
    }
    CallId callId = ((BrowserRequest.CallRequest) request).callId();
    Call call = calls.get(callId);
    if (call == null || !call.parties().contains(id)) {
      return Outcome.Refused.of(Refusal.NOT_FOUND, "no call " + callId + " in this session");
    }
    Optional<Outcome.Refused> bad = Optional.empty();
    if (request instanceof BrowserRequest.Answer answer) {
      bad = sdpCheck.check(answer.sdp());
    } else if (request instanceof BrowserRequest.Update update) {
      bad = sdpCheck.check(update.sdp());
    }
    if (bad.isPresent()) {
      return bad.get();
    }
    return logging.with(callId, () -> call.on(id, request));
  }

  @Override
  public Transfers.Directory transfers() {
    return referrals;
  }

  /** An INVITE from SIP to a browser user (or a registrar account). */
  @Override
  public SipLegListener incoming(InboundInvite invite, InboundLeg leg) {
    CallId id = CallId.random();
    onLoop(
        id,
        () -> {
          logging.learn(id, invite.sipCallId());
          logging.run(id, () -> inbound.place(id, invite, leg));
        });
    return new SipLegListener() {
      @Override
      public void on(SipLegEvent event) {
        onLoop(
            id,
            () -> {
              Call call = calls.get(id);
              if (call instanceof SipInboundCall c) {
                c.onSip(event);
              } else if (call instanceof SipToSipCall c) {
                c.onCaller(event);
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

  /**
   * Runs {@code work} on the loop with the call's ids in the logging context; a SIP Call-ID in the
   * caller's context (a SIP leg's event) becomes the call's.
   */
  @Override
  public void onLoop(CallId call, Runnable work) {
    String sip = MDC.get(LoggingKeys.SIP_CALL_ID);
    loop.execute(
        () -> {
          if (sip != null) {
            logging.learn(call, sip);
          }
          logging.run(call, work);
        });
  }

  @Override
  public Scheduler.Cancellable schedule(CallId call, Duration delay, Runnable work) {
    return scheduler.schedule(delay, () -> logging.run(call, work));
  }

  @Override
  public Instant now() {
    return scheduler.now();
  }

  @Override
  public Duration mediaTimeout() {
    return rules.settings().mediaTimeout();
  }

  @Override
  public Duration keyframeRequestInterval() {
    return rules.settings().keyframeRequestInterval();
  }

  /**
   * The media backend says the browser of {@code id} wants a key frame the SIP side can only take
   * as SIP INFO; any thread. Hops onto the loop, to the call if it is still there.
   */
  private void keyframeWanted(CallId id) {
    loop.execute(
        () -> {
          Call call = calls.get(id);
          if (call != null) {
            logging.run(id, call::keyframeWanted);
          }
        });
  }

  @Override
  public MediaBackend media() {
    return rules.bridging().orElseThrow().media();
  }

  @Override
  public SipSide sip() {
    return rules.bridging().orElseThrow().sip();
  }

  /** Ends every call with {@code server-shutdown} and closes every connection. */
  public CompletableFuture<Void> shutdown() {
    return onLoop(
        () -> {
          intake = Intake.STOPPING;
          for (Call call : calls.all()) {
            call.end(EndReason.SERVER_SHUTDOWN, "bridge stopping");
          }
          for (Session session : sessions.all()) {
            if (session.connection != null) {
              session.connection.close(1001, "server shutdown");
            }
            sessions.forget(session);
          }
          return null;
        });
  }

  /**
   * Starts draining: from now on new sessions and new calls are refused ({@link
   * Refusal#UNAVAILABLE}, SIP 503 with {@code Retry-After: retryAfter}) while calls in progress go
   * on and dropped sessions may still resume. Idempotent.
   *
   * @return completes (on the loop) when no call is left
   */
  public CompletableFuture<Void> drain(Duration retryAfter) {
    loop.execute(
        () -> {
          if (intake.isOpen()) {
            intake = Intake.draining(retryAfter);
            log.info("draining: {} calls in progress, {} sessions", calls.size(), sessions.size());
          }
          if (calls.size() == 0) {
            drained.complete(null);
          }
        });
    return drained;
  }

  /**
   * New rules for what starts from now on (a configuration reload): limits of sessions and calls,
   * the dial plan, the inbound table and trust rule, SIP media encryption. Calls in progress keep
   * what they were placed with; sessions stay open.
   *
   * @param dialPlan the new dial plan, used when the switchboard bridges to SIP
   */
  public CompletableFuture<Void> reconfigure(
      SessionSettings sessionSettings,
      CallSettings callSettings,
      DialPlan dialPlan,
      InboundPolicy inboundPolicy,
      SipMediaPolicy mediaPolicy) {
    return onLoop(
        () -> {
          sessions.settings(sessionSettings);
          rules.replace(
              callSettings,
              rules
                  .bridging()
                  .map(
                      b ->
                          new Bridging(
                              dialPlan,
                              b.media(),
                              b.sip(),
                              b.directory(),
                              b.identities(),
                              b.health())));
          inbound.policy(inboundPolicy);
          this.sipMediaPolicy = mediaPolicy;
          log.info("new rules for sessions and calls from now on");
          return null;
        });
  }

  /** Every session, as it is now (the admin API). */
  public CompletableFuture<List<SessionSnapshot>> sessionSnapshots() {
    return onLoop(
        () ->
            sessions.all().stream()
                .sorted(Comparator.comparing((Session s) -> s.since))
                .map(
                    s ->
                        new SessionSnapshot(
                            s.id, s.user, s.isAttached(), s.since, List.copyOf(s.calls)))
                .toList());
  }

  /** Every call, as it is now (the admin API). */
  public CompletableFuture<List<CallSnapshot>> callSnapshots() {
    return onLoop(
        () ->
            calls.all().stream()
                .map(
                    c ->
                        new CallSnapshot(
                            c.id(), logging.sipCallId(c.id()), c.facts(), calls.since(c.id())))
                .toList());
  }

  /**
   * Ends a call for everyone with {@link EndReason#ENDED_BY_ADMIN} (browsers told, SIP BYE or
   * CANCEL or a final response).
   *
   * @return false when there is no such call
   */
  public CompletableFuture<Boolean> endCall(CallId id, String why) {
    return onLoop(
        () -> {
          Call call = calls.get(id);
          if (call == null) {
            return false;
          }
          logging.run(id, () -> call.end(EndReason.ENDED_BY_ADMIN, why));
          return true;
        });
  }

  /** The WebSocket close code of a session an administrator disconnected (docs/protocol.md). */
  public static final int CLOSE_DISCONNECTED = 4410;

  /**
   * Ends every session of {@code user} for good: their calls end as when a session's grace period
   * is over, and their WebSockets close with {@link #CLOSE_DISCONNECTED}.
   *
   * @return how many sessions ended
   */
  public CompletableFuture<Integer> disconnect(String user, String why) {
    return onLoop(
        () -> {
          List<Session> ofUser = List.copyOf(sessions.ofUser(user));
          for (Session session : ofUser) {
            sessions.expire(session, why, CLOSE_DISCONNECTED);
          }
          return ofUser.size();
        });
  }

  /** How many sessions and calls are held; zero of each once everything has ended. */
  public CompletableFuture<Counts> counts() {
    return onLoop(() -> new Counts(sessions.size(), calls.size()));
  }

  /** Sessions and calls currently held. */
  public record Counts(int sessions, int calls) {}

  /** How many sessions have lost their connection and wait for a resume. */
  public CompletableFuture<Long> detached() {
    return onLoop(() -> sessions.all().stream().filter(s -> s.connection == null).count());
  }

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
    referrals.report(event);
    if (!session.deliver(event)) {
      log.warn("session {} of {} missed too many events while disconnected", id, session.user);
      sessions.expire(session, "event queue full while disconnected");
    }
  }

  @Override
  public void ended(Call call) {
    logging.forget(call.id());
    for (SessionId shown : calls.remove(call.id())) {
      Session session = sessions.get(shown);
      if (session != null) {
        session.calls.remove(call.id());
      }
    }
    referrals.ended(call.id());
    if (intake != Intake.OPEN && calls.size() == 0) {
      drained.complete(null);
    }
  }

  /** A session ended for good: each of its calls is told. */
  private void sessionEnded(Session session, String why) {
    for (CallId callId : List.copyOf(session.calls)) {
      Call call = calls.get(callId);
      if (call != null) {
        call.sessionGone(session.id);
      }
    }
  }

  /**
   * Why a resume failed: unknown here, or a session of another node (a load balancer's mistake).
   */
  private String resumeRefusal(String resumeToken) {
    int dot = resumeToken.indexOf('.');
    String node = dot > 0 ? resumeToken.substring(0, dot) : "";
    return NodeId.valid(node) && !node.equals(sessions.node().value())
        ? "the session lives on node " + node + ", this is node " + sessions.node()
        : "unknown or expired resume token";
  }

  private SessionOutcome.Opened opened(Session session) {
    List<SessionOutcome.CallSummary> summaries = new ArrayList<>();
    for (CallId id : session.calls) {
      Call call = calls.get(id);
      if (call != null) {
        summaries.add(call.summary(session.id));
      }
    }
    return new SessionOutcome.Opened(
        session.id, session.user, session.resumeToken, sessions.node(), summaries);
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
            deferred.poll().run();
          }
        });
  }

  /** Defers {@code work} until the current request has been answered, in the call's log context. */
  private void after(Runnable work) {
    String callId = MDC.get(LoggingKeys.CALL_ID);
    deferred.add(callId == null ? work : () -> logging.run(new CallId(callId), work));
  }
}

package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.BrowserRequest.RejectReason;
import dev.tandem.core.browser.DtmfMethod;
import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser-to-browser call: SDP and candidates pass through untouched, media flows peer to peer.
 * Every session of the callee rings; the first to answer wins and the others are told {@code
 * answered-elsewhere}.
 *
 * <p>The transitions, all in {@link #on}:
 *
 * <pre>
 * state    event                      next     actions
 * RINGING  Answer (ringing session)   ACTIVE   caller: Answered; other ringers: Ended(answered-elsewhere);
 *                                              answerer: the caller's buffered candidates
 * RINGING  Reject (ringing session)   RINGING  stop ringing it; if none left: ENDED, caller: Ended(busy|declined)
 * RINGING  Hangup (caller)            ENDED    ringers: Ended(cancelled)
 * RINGING  Hangup (ringing session)   -        as Reject(declined)
 * RINGING  candidate (caller)         RINGING  buffered until an answer
 * RINGING  ring timeout               ENDED    caller and ringers: Ended(no-answer)
 * RINGING  session gone (caller)      ENDED    ringers: Ended(cancelled)
 * RINGING  session gone (ringer)      RINGING  stop ringing it; if none left: ENDED, caller: Ended(unavailable)
 * ACTIVE   candidate / update / DTMF  ACTIVE   relayed to the other party
 * ACTIVE   Hangup (either)            ENDED    other: Ended(remote-hangup)
 * ACTIVE   session gone (either)      ENDED    other: Ended(remote-hangup)
 * any      anything else              same     refused with invalid-state, logged
 * </pre>
 *
 * <p>Confined to the signaling loop.
 */
final class PeerCall implements Call {
  private static final Logger log = LoggerFactory.getLogger(PeerCall.class);
  static final int MAX_BUFFERED_CANDIDATES = 64;

  enum State {
    RINGING,
    ACTIVE,
    ENDED
  }

  /** What the call does to the world: deliver events, and say when it is over. */
  interface Effects {
    void deliver(SessionId session, BrowserEvent event);

    void ended(Call call);
  }

  final CallId id;
  final SessionId caller;
  final String callerUser;
  final String calleeUser;
  private final Effects effects;
  private final CallTrace trace;
  private final Set<SessionId> ringing = new LinkedHashSet<>();
  private final List<Optional<IceCandidate>> callerCandidates = new ArrayList<>();
  private SessionId callee;
  private State state = State.RINGING;
  private Cancellable ringTimer = Cancellable.NONE;

  PeerCall(
      CallId id,
      SessionId caller,
      String callerUser,
      String calleeUser,
      Effects effects,
      CallTrace trace) {
    this.id = id;
    this.caller = caller;
    this.callerUser = callerUser;
    this.calleeUser = calleeUser;
    this.effects = effects;
    this.trace = trace;
  }

  /** Alerts the callee's sessions with the caller's offer; the caller hears it ringing. */
  void ring(List<SessionId> sessions, String offer, Cancellable timer) {
    ringTimer = timer;
    ringing.addAll(sessions);
    for (SessionId session : sessions) {
      effects.deliver(
          session,
          new BrowserEvent.Incoming(
              id, callerUser, java.util.Optional.of(offer), DtmfMethod.SIGNALING));
    }
    effects.deliver(caller, new BrowserEvent.Ringing(id));
    trace.ringing();
  }

  State state() {
    return state;
  }

  @Override
  public CallId id() {
    return id;
  }

  @Override
  public Set<String> users() {
    return callerUser.equals(calleeUser) ? Set.of(callerUser) : Set.of(callerUser, calleeUser);
  }

  @Override
  public SessionOutcome.CallSummary summary(SessionId session) {
    boolean outgoing = isCaller(session);
    return new SessionOutcome.CallSummary(
        id,
        state.name().toLowerCase(java.util.Locale.ROOT),
        outgoing,
        outgoing ? calleeUser : callerUser);
  }

  /** The sessions in this call right now: the caller, and the callee or every ringing session. */
  @Override
  public Set<SessionId> parties() {
    Set<SessionId> parties = new LinkedHashSet<>();
    parties.add(caller);
    if (callee != null) {
      parties.add(callee);
    }
    parties.addAll(ringing);
    return parties;
  }

  boolean isCaller(SessionId session) {
    return caller.equals(session);
  }

  /** Handles one request from {@code from}, one of this call's parties. */
  @Override
  public Outcome on(SessionId from, BrowserRequest request) {
    if (state == State.RINGING) {
      if (request instanceof BrowserRequest.Answer answer && ringing.contains(from)) {
        // RINGING -> Answer -> ACTIVE: the first answer wins.
        ringing.remove(from);
        callee = from;
        enter(State.ACTIVE, "answered by " + from);
        ringTimer.cancel();
        endRinging(EndReason.ANSWERED_ELSEWHERE);
        trace.answered();
        effects.deliver(caller, new BrowserEvent.Answered(id, answer.sdp(), DtmfMethod.SIGNALING));
        callerCandidates.forEach(c -> effects.deliver(callee, new BrowserEvent.Candidate(id, c)));
        callerCandidates.clear();
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Reject reject && ringing.contains(from)) {
        // RINGING -> Reject -> RINGING, or ENDED when nobody rings any more.
        stopRinging(
            from, reject.reason() == RejectReason.BUSY ? EndReason.BUSY : EndReason.DECLINED);
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Hangup && ringing.contains(from)) {
        stopRinging(from, EndReason.DECLINED);
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Hangup && isCaller(from)) {
        // RINGING -> caller Hangup -> ENDED: a CANCEL, in SIP terms.
        end(EndReason.CANCELLED, "caller hung up while ringing");
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.AddCandidate candidate && isCaller(from)) {
        if (callerCandidates.size() >= MAX_BUFFERED_CANDIDATES) {
          return Outcome.Refused.of(Refusal.INVALID_STATE, "too many candidates before an answer");
        }
        callerCandidates.add(candidate.candidate());
        return Outcome.done();
      }
    } else if (state == State.ACTIVE) {
      SessionId other = isCaller(from) ? callee : caller;
      if (request instanceof BrowserRequest.AddCandidate candidate) {
        effects.deliver(other, new BrowserEvent.Candidate(id, candidate.candidate()));
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Update update) {
        effects.deliver(other, new BrowserEvent.Update(id, update.type(), update.sdp()));
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.SendDtmf dtmf) {
        for (char digit : dtmf.digits().toCharArray()) {
          if (digit != ',') {
            effects.deliver(other, new BrowserEvent.Dtmf(id, digit));
          }
        }
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Hangup) {
        // ACTIVE -> Hangup -> ENDED.
        effects.deliver(from, BrowserEvent.Ended.of(id, EndReason.HANGUP));
        effects.deliver(other, BrowserEvent.Ended.of(id, EndReason.REMOTE_HANGUP));
        enter(State.ENDED, "hung up by " + (isCaller(from) ? "caller" : "callee"));
        over(isCaller(from) ? EndReason.HANGUP : EndReason.REMOTE_HANGUP);
        return Outcome.done();
      }
    }
    log.info("[{}] --{}--> refused (from {})", state, request.getClass().getSimpleName(), from);
    return Outcome.Refused.of(
        Refusal.INVALID_STATE,
        request.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
            + " is not possible while the call is "
            + state.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** The ring timer fired. */
  void ringTimeout() {
    if (state == State.RINGING) {
      end(EndReason.NO_ANSWER, "ring timeout");
    }
  }

  /** A party's session is gone for good (its resume grace period ended). */
  @Override
  public void sessionGone(SessionId session) {
    if (state == State.RINGING && isCaller(session)) {
      end(EndReason.CANCELLED, "caller's session gone");
    } else if (state == State.RINGING && ringing.contains(session)) {
      ringing.remove(session);
      if (ringing.isEmpty()) {
        endForCaller(EndReason.UNAVAILABLE, "every ringing session gone");
      }
    } else if (state == State.ACTIVE && (isCaller(session) || session.equals(callee))) {
      SessionId other = isCaller(session) ? callee : caller;
      effects.deliver(other, BrowserEvent.Ended.of(id, EndReason.REMOTE_HANGUP));
      enter(State.ENDED, "session " + session + " gone");
      over(isCaller(session) ? EndReason.HANGUP : EndReason.REMOTE_HANGUP);
    }
  }

  /**
   * Ends the call for everyone: ringing sessions and an answered callee are told {@code reason};
   * the caller is told {@code hangup} when it cancelled, else {@code reason}.
   */
  @Override
  public void end(EndReason reason, String why) {
    if (state == State.ENDED) {
      return;
    }
    ringTimer.cancel();
    endRinging(reason);
    if (callee != null) {
      effects.deliver(callee, BrowserEvent.Ended.of(id, reason));
    }
    effects.deliver(
        caller,
        BrowserEvent.Ended.of(id, reason == EndReason.CANCELLED ? EndReason.HANGUP : reason));
    enter(State.ENDED, why);
    over(reason);
  }

  private void stopRinging(SessionId session, EndReason reasonForCaller) {
    ringing.remove(session);
    effects.deliver(session, BrowserEvent.Ended.of(id, EndReason.HANGUP));
    if (ringing.isEmpty()) {
      endForCaller(reasonForCaller, "every ringing session declined");
    }
  }

  private void endForCaller(EndReason reason, String why) {
    ringTimer.cancel();
    effects.deliver(caller, BrowserEvent.Ended.of(id, reason));
    enter(State.ENDED, why);
    over(reason);
  }

  private void endRinging(EndReason reason) {
    for (SessionId session : ringing) {
      effects.deliver(session, BrowserEvent.Ended.of(id, reason));
    }
    ringing.clear();
  }

  /** The call is over: its record ends with {@code reason} (the caller's view), then it is gone. */
  private void over(EndReason reason) {
    trace.ended(reason);
    effects.ended(this);
  }

  private void enter(State next, String why) {
    log.info("[{}] --{}--> [{}]", state, why, next);
    state = next;
  }
}

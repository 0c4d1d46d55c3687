package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.BrowserRequest.RejectReason;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.inbound.InboundTarget;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.sip.Destination.DtmfMode;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.translate.WebRtcProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIP peer's call to a browser user or a ring group: every connected session of the user (of
 * every member) rings, the first answer wins (the others are told {@code answered-elsewhere}), and
 * the media backend rewrites the plain offer for the browsers and their WebRTC answer for the SIP
 * peer. The call keeps where it came from ({@link CallOrigin}): a REFER of its peer reaches no
 * further than that side could ({@link dev.tandem.core.inbound.ReferScope}).
 *
 * <p>The transitions, all in {@link #on} and {@link #onSip}:
 *
 * <pre>
 * state      event                          next       actions
 * OFFERING   media offer ready              RINGING    sessions: Incoming(WebRTC offer); SIP: 180; ring timer
 * OFFERING   (INVITE without SDP)           RINGING    sessions: Incoming(no SDP: the browser offers); SIP: 180;
 *                                                       ring timer (at once: there is no offer to rewrite)
 * OFFERING   media failed                   ENDED      SIP: 488 (bad SDP) or 503
 * OFFERING   CANCEL                         ENDED      -
 * RINGING    Answer (a ringing session)     ANSWERING  others: Ended(answered-elsewhere); media answer
 *                                                       (held by the CandidateGate until the answer
 *                                                       has a default address, at most 2 s)
 * RINGING    Reject / Hangup (a ringer)     RINGING    if none left: ENDED, SIP: 486
 * RINGING    session gone (a ringer)        RINGING    if none left: ENDED, SIP: 480
 * RINGING    ring timer                     ENDED      ringers: Ended(no-answer); SIP: 480
 * RINGING    CANCEL                         ENDED      ringers: Ended(cancelled), or
 *                                                       Ended(answered-elsewhere) for Reason cause=200
 * ANSWERING  media answer ready             ACTIVE     SIP: 200 with the plain answer
 * ANSWERING  media offer ready (late offer) OFFERED    SIP: 200 with the plain offer (RFC 3264 §5)
 * OFFERED    ACK with the answer            OFFERED    media answer
 * OFFERED    media answer ready             ACTIVE     callee: Answered(WebRTC answer, dtmf)
 * OFFERED    ACK without an answer          ENDED      callee: Ended(failed, "no SDP answer in the ACK"); BYE
 * OFFERED    media failed (unusable answer) ENDED      callee: Ended(failed); BYE
 * OFFERED    BYE / no ACK                   ENDED      callee: Ended(remote-hangup / failed) (BYE for no ACK)
 * OFFERED    Hangup / session gone          ENDED      BYE
 * ANSWERING  media failed                   ENDED      callee: Ended(failed); SIP: 488 or 503
 * ANSWERING  CANCEL                         ENDED      callee: Ended(cancelled)
 * ANSWERING  Hangup / session gone          ENDED      SIP: 480
 * ACTIVE     BYE                            ENDED      callee: Ended(remote-hangup)
 * ACTIVE     re-offers either way           ACTIVE     see Renegotiation (re-INVITE, Update)
 * ACTIVE     INFO with a DTMF digit         ACTIVE     callee: Dtmf
 * ACTIVE     SendDtmf (the callee)          ACTIVE     SIP: an INFO per digit
 * ACTIVE     INFO picture_fast_update       ACTIVE     media: PLI toward the browser (RFC 5168)
 * ACTIVE     backend: key frame wanted      ACTIVE     SIP: INFO picture_fast_update, at most one
 *                                                       per interval, none once refused
 *                                                       (KeyframeRequests)
 * ACTIVE     no ACK for the 200             ENDED      callee: Ended(failed); BYE
 * ACTIVE     session timer expired          ENDED      callee: Ended(timeout) (the adapter sent BYE)
 * ACTIVE     Hangup / session gone          ENDED      BYE
 * ACTIVE     no media from SIP (watchdog)   ENDED      callee: Ended(timeout); BYE
 * ANSWERING  candidate from the callee      ANSWERING  merged into a held answer (CandidateGate)
 * ACTIVE     REFER                          ACTIVE     callee: Referred (see Transfers)
 * not ACTIVE REFER                          same       SIP: final NOTIFY 603 Decline (Transfers)
 * any        candidate from the callee      same       accepted; the backend learns the rest by ICE
 * any        anything else                  same       refused with invalid-state, logged
 * </pre>
 */
final class SipInboundCall implements Call {
  private static final Logger log = LoggerFactory.getLogger(SipInboundCall.class);

  enum State {
    OFFERING,
    RINGING,
    ANSWERING,
    /** Late offer: our 200 carries the offer; the answer comes in the ACK. */
    OFFERED,
    ACTIVE,
    ENDED
  }

  final CallId id;
  final InboundInvite invite;
  final CallOrigin origin;
  private final InboundTarget target;
  private final Map<SessionId, String> userOf;
  private String calleeUser;
  private final InboundLeg leg;
  private final BridgeContext context;
  private final MediaSteps media;
  private final CallTrace trace;
  private final MediaWatchdog watchdog;
  private final CandidateGate gate;
  private final Renegotiation renegotiation;
  private final Transfers transfers;
  private final KeyframeRequests keyframes;
  private final Set<SessionId> ringing = new LinkedHashSet<>();
  private SessionId callee;
  private State state = State.OFFERING;
  private Cancellable ringTimer = Cancellable.NONE;

  /**
   * @param ringing the sessions to ring, each with its user (all of one user, or of a group's
   *     members)
   */
  SipInboundCall(
      CallId id,
      InboundInvite invite,
      InboundLeg leg,
      BridgeContext context,
      CallOrigin origin,
      InboundTarget target,
      Map<SessionId, String> ringing,
      CallTrace trace) {
    this.id = id;
    this.invite = invite;
    this.origin = origin;
    this.target = target;
    this.userOf = new LinkedHashMap<>(ringing);
    this.calleeUser = target.users().get(0);
    this.leg = leg;
    this.context = context;
    this.trace = trace;
    this.media = new MediaSteps(id, context);
    this.gate = new CandidateGate(id, context);
    this.watchdog = new MediaWatchdog(this, context);
    this.transfers = new Transfers(id, context, () -> leg);
    this.keyframes = new KeyframeRequests(id, context, () -> leg);
    this.renegotiation =
        new Renegotiation(id, context, media, false, why -> end(EndReason.FAILED, why));
  }

  /**
   * Rewrites the SIP offer for browsers, then rings the sessions; a late offer (no SDP) rings them
   * at once, and the answering browser makes the offer.
   */
  void start(Duration ringTimeout) {
    if (endToEnd()) {
      media.passThrough();
    } else {
      media.sipMedia(context.sipMediaPolicy().media(origin));
    }
    log.info(
        "SIP call {} from {} -> {} ({} sessions{}{})",
        invite.from(),
        origin.describe(),
        target,
        userOf.size(),
        lateOffer() ? ", late offer" : "",
        media.passingThrough() ? ", WebRTC end to end" : "");
    ringing.addAll(userOf.keySet());
    if (lateOffer()) {
      ring(Optional.empty(), ringTimeout);
      return;
    }
    media.offer(
        Side.SIP,
        invite.sdp().get(),
        webrtcOffer -> ring(Optional.of(webrtcOffer), ringTimeout),
        e -> mediaFailed("media offer", e));
  }

  /**
   * The caller speaks WebRTC itself (its offer is in the WebRTC form, or a late offer from a
   * destination configured {@code webrtc}): its SDP and the browser's go end to end, no relay.
   */
  private boolean endToEnd() {
    if (lateOffer()) {
      return context.sipMediaPolicy().speaksWebRtc(origin);
    }
    try {
      return WebRtcProfile.of(SessionDescription.parse(invite.sdp().get()));
    } catch (SdpParseException e) {
      return false; // the backend refuses it with the line at fault
    }
  }

  /** The INVITE had no SDP (RFC 3261 §13.2.1): the bridge offers in its 200, the ACK answers. */
  private boolean lateOffer() {
    return invite.sdp().isEmpty();
  }

  private void ring(Optional<String> webrtcOffer, Duration ringTimeout) {
    if (state != State.OFFERING) {
      return;
    }
    if (ringing.isEmpty()) {
      reject(EndReason.UNAVAILABLE, "every session went away before ringing");
      return;
    }
    enter(State.RINGING, lateOffer() ? "late offer: the browser offers" : "media offer ready");
    ringTimer = context.schedule(id, ringTimeout, this::ringTimeout);
    for (SessionId session : ringing) {
      context.deliver(
          session,
          new BrowserEvent.Incoming(
              id,
              invite.caller(),
              webrtcOffer,
              SipDtmf.method(DtmfMode.AUTO, invite.sdp().orElse("")),
              invite.callerIdentity()));
    }
    leg.ringing();
    trace.ringing();
  }

  /** An event of the SIP leg, on the loop. */
  void onSip(SipLegEvent event) {
    if (event instanceof SipLegEvent.Referred referred && state != State.ACTIVE) {
      Transfers.decline(leg, referred, state); // no answered browser to follow it
      return;
    }
    if (state == State.ENDED) {
      log.info("[{}] SIP {} ignored", state, event);
      return;
    }
    if (event instanceof SipLegEvent.Cancelled cancelled && state != State.ACTIVE) {
      EndReason reason =
          cancelled.answeredElsewhere() ? EndReason.ANSWERED_ELSEWHERE : EndReason.CANCELLED;
      endRinging(reason);
      if (callee != null) {
        context.deliver(callee, BrowserEvent.Ended.of(id, reason));
      }
      trace.sipCode(SipReasons.REQUEST_TERMINATED.code()); // the adapter's 487 to the INVITE
      finish(reason, "CANCEL from SIP");
    } else if (event instanceof SipLegEvent.AnswerInAck ack && state == State.OFFERED) {
      answerInAck(ack);
    } else if (event instanceof SipLegEvent.Bye && answeredOnSip()) {
      context.deliver(callee, BrowserEvent.Ended.of(id, EndReason.REMOTE_HANGUP));
      finish(EndReason.HANGUP, "BYE from SIP");
    } else if (event instanceof SipLegEvent.SessionExpired && state == State.ACTIVE) {
      context.deliver(callee, BrowserEvent.Ended.of(id, EndReason.TIMEOUT));
      finish(EndReason.TIMEOUT, "session timer expired (RFC 4028)");
    } else if (state == State.ACTIVE && (renegotiation.onSip(event) || keyframes.onSip(event))) {
      return;
    } else if (state == State.ACTIVE
        && transfers.onSip(
            event,
            callee,
            () -> {
              leg.bye();
              context.deliver(callee, BrowserEvent.Ended.of(id, EndReason.TRANSFERRED));
              finish(EndReason.TRANSFERRED, "transferred");
            })) {
      return;
    } else if (event instanceof SipLegEvent.Reinvite) {
      leg.rejectReinvite(SipReasons.REQUEST_PENDING);
    } else if (event instanceof SipLegEvent.Dtmf dtmf && state == State.ACTIVE) {
      context.deliver(callee, new BrowserEvent.Dtmf(id, dtmf.digit()));
    } else if (event instanceof SipLegEvent.AckTimeout && answeredOnSip()) {
      leg.bye();
      context.deliver(callee, BrowserEvent.Ended.of(id, EndReason.FAILED));
      finish(EndReason.FAILED, "no ACK for our 200");
    } else {
      log.info("[{}] SIP {} ignored", state, event);
    }
  }

  @Override
  public void keyframeWanted() {
    if (state == State.ACTIVE) {
      keyframes.wanted();
    }
  }

  @Override
  public Outcome on(SessionId from, BrowserRequest request) {
    if (state == State.RINGING && ringing.contains(from)) {
      if (request instanceof BrowserRequest.Answer answer) {
        ringing.remove(from);
        callee = from;
        calleeUser = userOf.get(from);
        ringTimer.cancel();
        endRinging(EndReason.ANSWERED_ELSEWHERE);
        enter(State.ANSWERING, "answered by " + from);
        gate.pass(
            answer.sdp(),
            media.passingThrough(),
            sdp -> {
              if (state != State.ANSWERING) {
                return;
              }
              if (lateOffer()) {
                // the browser's answer is its offer: rewritten for SIP as a browser's call's is
                media.offer(
                    Side.BROWSER, sdp, this::offerReady, e -> mediaFailed("media offer", e));
              } else {
                media.answer(
                    Side.BROWSER, sdp, this::answerReady, e -> mediaFailed("media answer", e));
              }
            });
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Reject reject) {
        stopRinging(
            from, reject.reason() == RejectReason.BUSY ? EndReason.BUSY : EndReason.DECLINED);
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Hangup) {
        stopRinging(from, EndReason.DECLINED);
        return Outcome.done();
      }
    }
    if (from.equals(callee)
        && (state == State.ANSWERING || state == State.OFFERED || state == State.ACTIVE)) {
      if (request instanceof BrowserRequest.AddCandidate add) {
        gate.candidate(add.candidate());
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Hangup) {
        hangUpCallee(EndReason.HANGUP, "callee hung up");
        return Outcome.done();
      }
      if (request instanceof BrowserRequest.Update update && state == State.ACTIVE) {
        return renegotiation.browserUpdate(update);
      }
      if (request instanceof BrowserRequest.Transfer transfer && state == State.ACTIVE) {
        return transfers.request(calleeUser, callee, transfer);
      }
      if (request instanceof BrowserRequest.SendDtmf dtmf && state == State.ACTIVE) {
        leg.dtmf(dtmf.digits(), dtmf.toneDuration());
        return Outcome.done();
      }
    }
    if (request instanceof BrowserRequest.AddCandidate && state != State.ENDED) {
      return Outcome.done(); // a ringing session trickling early: harmless
    }
    log.info("[{}] --{}--> refused (from {})", state, request.getClass().getSimpleName(), from);
    return Outcome.Refused.of(
        Refusal.INVALID_STATE,
        request.getClass().getSimpleName().toLowerCase(Locale.ROOT)
            + " is not possible while the call from "
            + invite.caller()
            + " is "
            + state.name().toLowerCase(Locale.ROOT));
  }

  /** Media through the backend is watched; media end to end has no counters here. */
  private void startWatchdog() {
    if (!media.passingThrough()) {
      watchdog.start();
    }
  }

  private void answerReady(String plainAnswer) {
    if (state != State.ANSWERING) {
      return;
    }
    enter(State.ACTIVE, "media answer ready, 200 OK");
    startWatchdog();
    renegotiation.established(callee, leg);
    leg.answer(plainAnswer);
    trace.sipCode(SipReasons.OK.code());
    trace.answered();
  }

  /** Late offer: the browser's offer, rewritten for SIP, goes in the 200; the ACK answers. */
  private void offerReady(String plainOffer) {
    if (state != State.ANSWERING) {
      return;
    }
    enter(State.OFFERED, "media offer ready, 200 OK with the offer");
    leg.offer(plainOffer);
    trace.sipCode(SipReasons.OK.code());
  }

  /** Late offer: the SIP peer's answer came in its ACK (or none did: RFC 3264 §5 needs one). */
  private void answerInAck(SipLegEvent.AnswerInAck ack) {
    if (ack.sdp().isEmpty()) {
      leg.bye();
      context.deliver(
          callee,
          new BrowserEvent.Ended(
              id,
              EndReason.FAILED,
              OptionalInt.empty(),
              Optional.of("the SIP peer's ACK carried no SDP answer")));
      finish(EndReason.FAILED, "ACK without an SDP answer to our offer");
      return;
    }
    String sipAnswer = ack.sdp().get();
    media.answer(
        Side.SIP,
        sipAnswer,
        webrtcAnswer -> {
          if (state != State.OFFERED) {
            return;
          }
          enter(State.ACTIVE, "answer in the ACK ready");
          trace.answered();
          startWatchdog();
          renegotiation.established(callee, leg);
          context.deliver(
              callee,
              new BrowserEvent.Answered(
                  id, webrtcAnswer, SipDtmf.method(DtmfMode.AUTO, sipAnswer)));
        },
        e -> mediaFailed("media answer (the ACK's SDP)", e));
  }

  /** Whether our 200 went out: the call ends with BYE from now on, not with an error response. */
  private boolean answeredOnSip() {
    return state == State.OFFERED || state == State.ACTIVE;
  }

  private void mediaFailed(String step, MediaException e) {
    log.warn("{} failed: {}", step, e.getMessage());
    if (state == State.ENDED) {
      return;
    }
    endRinging(EndReason.FAILED);
    if (callee != null) {
      context.deliver(callee, BrowserEvent.Ended.of(id, EndReason.FAILED));
    }
    if (answeredOnSip()) {
      leg.bye();
    } else if (e.badSdp()) {
      leg.reject(SipReasons.NOT_ACCEPTABLE_HERE, e.getMessage());
      trace.sipCode(SipReasons.NOT_ACCEPTABLE_HERE.code());
    } else {
      leg.reject(SipReasons.SERVICE_UNAVAILABLE);
      trace.sipCode(SipReasons.SERVICE_UNAVAILABLE.code());
    }
    finish(EndReason.FAILED, step + " failed");
  }

  private void stopRinging(SessionId session, EndReason reasonForCaller) {
    ringing.remove(session);
    context.deliver(session, BrowserEvent.Ended.of(id, EndReason.HANGUP));
    if (ringing.isEmpty()) {
      reject(reasonForCaller, "every ringing session declined");
    }
  }

  private void ringTimeout() {
    if (state == State.RINGING) {
      endRinging(EndReason.NO_ANSWER);
      reject(EndReason.NO_ANSWER, "ring timeout");
    }
  }

  private void reject(EndReason reason, String why) {
    SipReasons.Status status = SipReasons.rejection(reason);
    leg.reject(status.code(), status.phrase());
    trace.sipCode(status.code());
    finish(reason, why + ": " + status.code());
  }

  private void hangUpCallee(EndReason reasonForCallee, String why) {
    if (answeredOnSip()) {
      leg.bye();
    } else {
      leg.reject(SipReasons.TEMPORARILY_UNAVAILABLE);
      trace.sipCode(SipReasons.TEMPORARILY_UNAVAILABLE.code());
    }
    context.deliver(callee, BrowserEvent.Ended.of(id, reasonForCallee));
    finish(EndReason.REMOTE_HANGUP, why);
  }

  @Override
  public void sessionGone(SessionId session) {
    if (state == State.ENDED) {
      return;
    }
    if (session.equals(callee)) {
      hangUpCallee(EndReason.HANGUP, "callee's session gone");
    } else if (ringing.remove(session) && ringing.isEmpty() && state == State.RINGING) {
      reject(EndReason.UNAVAILABLE, "every ringing session gone");
    }
  }

  @Override
  public void end(EndReason reason, String why) {
    if (state == State.ENDED) {
      return;
    }
    endRinging(reason);
    if (callee != null) {
      context.deliver(callee, BrowserEvent.Ended.of(id, reason));
    }
    if (answeredOnSip()) {
      leg.bye();
    } else {
      SipReasons.Status status = SipReasons.rejection(reason);
      leg.reject(status.code(), status.phrase());
      trace.sipCode(status.code());
    }
    finish(reason, why);
  }

  private void endRinging(EndReason reason) {
    for (SessionId session : ringing) {
      context.deliver(session, BrowserEvent.Ended.of(id, reason));
    }
    ringing.clear();
  }

  /** The SIP dialog of this call once answered, for a transfer that replaces it. */
  java.util.Optional<dev.tandem.core.sip.DialogLeg> answeredLeg(SessionId session) {
    return state == State.ACTIVE && session.equals(callee)
        ? java.util.Optional.of(leg)
        : java.util.Optional.empty();
  }

  /** The call is over; its record ends with {@code reason}, as the SIP caller would be told. */
  private void finish(EndReason reason, String why) {
    enter(State.ENDED, why);
    ringTimer.cancel();
    watchdog.stop();
    gate.cancel();
    renegotiation.stop();
    trace.ended(reason, media.release());
    context.ended(this);
  }

  private void enter(State next, String why) {
    log.info("[{}] --{}--> [{}]", state, why, next);
    state = next;
  }

  State state() {
    return state;
  }

  @Override
  public CallId id() {
    return id;
  }

  @Override
  public Set<SessionId> parties() {
    Set<SessionId> parties = new LinkedHashSet<>(ringing);
    if (callee != null) {
      parties.add(callee);
    }
    return parties;
  }

  @Override
  public Set<String> users() {
    return new LinkedHashSet<>(userOf.values());
  }

  @Override
  public CallFacts facts() {
    return new CallFacts(
        CallFacts.Direction.SIP_TO_BROWSER,
        state.name().toLowerCase(Locale.ROOT),
        invite.from(),
        calleeUser,
        Optional.of(origin.describe()));
  }

  @Override
  public SessionOutcome.CallSummary summary(SessionId session) {
    return new SessionOutcome.CallSummary(
        id, state.name().toLowerCase(Locale.ROOT), false, invite.caller());
  }
}

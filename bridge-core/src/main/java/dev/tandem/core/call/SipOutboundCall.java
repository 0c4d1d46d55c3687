package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.DtmfMethod;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.sip.SipTarget;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser's call to a SIP destination: the browser leg speaks WebRTC, the SIP leg plain RTP, and
 * the media backend rewrites each SDP on its way across.
 *
 * <p>The transitions, all in {@link #on} and {@link #onSip}:
 *
 * <pre>
 * state      event                         next       actions
 * (start)    offer with a default address  OFFERING   media offer
 * (start)    offer still at 0.0.0.0        OFFERING   hold it; candidate-wait timer
 * OFFERING   candidate / end-of-candidates OFFERING   merged into the held offer; media offer once
 *                                                     it has a default address (or at the end)
 * OFFERING   candidate-wait timer          OFFERING   media offer as it is
 * OFFERING   media offer ready             CALLING    INVITE with the plain offer; no-answer timer
 * OFFERING   media failed                  ENDED      caller: Ended(failed)
 * OFFERING   Hangup / session gone         ENDED      (no INVITE was sent)
 * CALLING    1xx without SDP               CALLING    caller: Ringing (once)
 * CALLING    1xx with SDP (early media)    CALLING    media answer; caller: Progress(pranswer)
 * CALLING    2xx                           ANSWERING  media answer
 * CALLING    3xx-6xx, timeout              ENDED      caller: Ended(reason from SipReasons, sipCode)
 * CALLING    Hangup / session gone         ENDED      CANCEL; caller: Ended(hangup)
 * CALLING    no-answer timer               ENDED      CANCEL; caller: Ended(no-answer)
 * ANSWERING  media answer ready            ACTIVE     caller: Answered(WebRTC answer)
 * ANSWERING  media failed                  ENDED      BYE; caller: Ended(failed)
 * ANSWERING+ BYE from the SIP side         ENDED      caller: Ended(remote-hangup)
 * ACTIVE     re-offers either way          ACTIVE     see Renegotiation (re-INVITE, Update)
 * ACTIVE     INFO with a DTMF digit        ACTIVE     caller: Dtmf
 * ACTIVE     SendDtmf                      ACTIVE     SIP: an INFO per digit
 * ACTIVE     INFO picture_fast_update      ACTIVE     media: PLI toward the browser (RFC 5168)
 * ACTIVE     backend: key frame wanted     ACTIVE     SIP: INFO picture_fast_update, at most one
 *                                                     per interval, none once refused
 *                                                     (KeyframeRequests)
 * ANSWERING+ Hangup / session gone         ENDED      BYE; caller: Ended(hangup)
 * ACTIVE     no media from SIP (watchdog)  ENDED      BYE; caller: Ended(timeout)
 * ACTIVE     session timer expired         ENDED      caller: Ended(timeout) (the adapter sent BYE)
 * ENDED      2xx (crossed our CANCEL)      ENDED      BYE (RFC 3261 §9.1: the 2xx wins the race)
 * ACTIVE     REFER                         ACTIVE     caller: Referred (see Transfers)
 * not ACTIVE REFER                         same       SIP: final NOTIFY 603 Decline (Transfers)
 * later      candidate from the browser    same       accepted; the backend learns the browser's
 *                                                     address from its ICE checks
 * any        anything else                 same       refused with invalid-state, logged
 * </pre>
 *
 * <p>Ending releases the media endpoint, the timers and (by CANCEL or BYE) the SIP dialog.
 */
final class SipOutboundCall implements Call {
  private static final Logger log = LoggerFactory.getLogger(SipOutboundCall.class);

  /** How the INVITEs to several targets are placed: all at once (fork) or in turn (failover). */
  interface Placement {
    OutboundLeg place(SipSide sip, List<OutboundInvite> invites, SipLegListener listener);
  }

  enum State {
    OFFERING,
    CALLING,
    ANSWERING,
    ACTIVE,
    ENDED
  }

  final CallId id;
  final SessionId caller;
  final String callerUser;
  final String target;
  private final List<SipTarget> targets;
  private final Placement placement;
  private final BridgeContext context;
  private final MediaSteps media;
  private final CallTrace trace;
  private final MediaWatchdog watchdog;
  private final Duration noAnswerTimeout;
  private OutboundLeg leg;
  private State state = State.OFFERING;
  private boolean ringingSent;

  /** How the browser sends DTMF, from the destination's setting and the SIP answer. */
  private DtmfMethod dtmf = DtmfMethod.SIP_INFO;

  private Cancellable noAnswer = Cancellable.NONE;

  private final CandidateGate gate;
  private final Renegotiation renegotiation;
  private final Transfers transfers;
  private final KeyframeRequests keyframes;

  /**
   * The side a REFER of this call's peer speaks for: the peer this browser user chose to call (the
   * first destination tried).
   */
  dev.tandem.core.inbound.CallOrigin peer() {
    return new dev.tandem.core.inbound.CallOrigin.Dialled(targets.get(0).destination().name());
  }

  SipOutboundCall(
      CallId id,
      SessionId caller,
      String callerUser,
      String target,
      List<SipTarget> targets,
      Placement placement,
      Duration noAnswerTimeout,
      BridgeContext context,
      CallTrace trace) {
    this.id = id;
    this.caller = caller;
    this.callerUser = callerUser;
    this.target = target;
    this.targets = List.copyOf(targets);
    this.placement = placement;
    this.noAnswerTimeout = noAnswerTimeout;
    this.context = context;
    this.trace = trace;
    this.media = new MediaSteps(id, context);
    this.gate = new CandidateGate(id, context);
    this.watchdog = new MediaWatchdog(this, context);
    this.transfers = new Transfers(id, context, () -> leg);
    this.keyframes = new KeyframeRequests(id, context, () -> leg);
    this.renegotiation =
        new Renegotiation(id, context, media, true, why -> end(EndReason.FAILED, why));
  }

  /**
   * Starts the call with the browser's offer; an offer still without candidates waits for the first
   * one in the {@link CandidateGate}.
   */
  void start(String browserOffer) {
    boolean webrtc =
        !targets.isEmpty() && context.sipMediaPolicy().speaksWebRtc(targets.get(0).destination());
    if (webrtc) {
      media.passThrough();
    } else if (!targets.isEmpty()) {
      media.sipMedia(context.sipMediaPolicy().media(targets.get(0).destination()));
    }
    log.info(
        "call {} -> {} ({})",
        callerUser,
        targets.stream()
            .map(t -> t.requestUri() + " via " + t.destination().name())
            .collect(Collectors.joining(", ")),
        webrtc ? "WebRTC end to end" : context.media().describe());
    Consumer<String> send =
        offer -> {
          if (state == State.OFFERING) {
            media.offer(Side.BROWSER, offer, this::offerReady, e -> failed("media offer", e));
          }
        };
    gate.pass(browserOffer, webrtc, send);
  }

  private void offerReady(String plainOffer) {
    if (state != State.OFFERING) {
      return;
    }
    enter(State.CALLING, "media offer ready, INVITE to " + targets.size() + " target(s)");
    noAnswer = context.schedule(id, noAnswerTimeout, this::noAnswerTimeout);
    leg =
        placement.place(
            context.sip(),
            targets.stream()
                .map(
                    t ->
                        new OutboundInvite(
                            id,
                            t.destination(),
                            t.requestUri(),
                            callerUser,
                            t.from().orElse(CallerId.of(callerUser)),
                            plainOffer))
                .toList(),
            event -> context.onLoop(id, () -> onSip(event)));
  }

  /** An event of the SIP leg, on the loop. */
  void onSip(SipLegEvent event) {
    if (event instanceof SipLegEvent.Referred referred && state != State.ACTIVE) {
      Transfers.decline(leg, referred, state); // no answered browser to follow it
      return;
    }
    switch (state) {
      case CALLING -> {
        if (event instanceof SipLegEvent.Provisional p) {
          provisional(p);
          return;
        }
        if (event instanceof SipLegEvent.Answered a) {
          enter(State.ANSWERING, "2xx");
          trace.sipCode(SipReasons.OK.code());
          noAnswer.cancel();
          dtmf = SipDtmf.method(targets.get(0).destination().dtmf(), a.sdp());
          media.answer(Side.SIP, a.sdp(), this::answerReady, e -> failed("media answer", e));
          return;
        }
        if (event instanceof SipLegEvent.Failed f) {
          EndReason reason = SipReasons.endReason(f.status());
          finish(
              new BrowserEvent.Ended(
                  id, reason, OptionalInt.of(f.status()), Optional.of(f.reason())),
              f.status() + " " + f.reason());
          return;
        }
      }
      case ANSWERING, ACTIVE -> {
        if (state == State.ACTIVE && (renegotiation.onSip(event) || keyframes.onSip(event))) {
          return;
        }
        if (state == State.ACTIVE
            && transfers.onSip(
                event,
                caller,
                () -> {
                  leg.bye();
                  finish(BrowserEvent.Ended.of(id, EndReason.TRANSFERRED), "transferred");
                })) {
          return;
        }
        if (event instanceof SipLegEvent.Reinvite) {
          leg.rejectReinvite(
              SipReasons.REQUEST_PENDING); // our answer to its 2xx is not through yet
          return;
        }
        if (event instanceof SipLegEvent.Bye bye) {
          finish(
              BrowserEvent.Ended.of(id, EndReason.REMOTE_HANGUP),
              "BYE from SIP" + bye.reason().map(r -> " (" + r + ")").orElse(""));
          return;
        }
        if (event instanceof SipLegEvent.SessionExpired) {
          finish(BrowserEvent.Ended.of(id, EndReason.TIMEOUT), "session timer expired (RFC 4028)");
          return;
        }
        if (event instanceof SipLegEvent.Provisional) {
          return; // a late 1xx after the 2xx: nothing to do
        }
        if (event instanceof SipLegEvent.Dtmf d && state == State.ACTIVE) {
          context.deliver(caller, new BrowserEvent.Dtmf(id, d.digit()));
          return;
        }
      }
      case ENDED -> {
        if (event instanceof SipLegEvent.Answered && leg != null) {
          log.info("2xx crossed our CANCEL: sending BYE");
          leg.bye();
          return;
        }
      }
      default -> {}
    }
    log.info("[{}] SIP {} ignored", state, event);
  }

  private void provisional(SipLegEvent.Provisional p) {
    if (p.status() > SipReasons.TRYING.code()) {
      trace.ringing();
    }
    if (p.sdp().isPresent()) {
      media.answer(
          Side.SIP,
          p.sdp().get(),
          sdp -> {
            if (state == State.CALLING) {
              context.deliver(caller, new BrowserEvent.Progress(id, Optional.of(sdp)));
            }
          },
          e -> log.warn("early media SDP unusable, waiting for the answer: {}", e.getMessage()));
    } else if (!ringingSent) {
      ringingSent = true;
      context.deliver(caller, new BrowserEvent.Ringing(id));
    }
  }

  private void answerReady(String webrtcAnswer) {
    if (state != State.ANSWERING) {
      return;
    }
    enter(State.ACTIVE, "media answer ready");
    trace.answered();
    watchdog.start();
    renegotiation.established(caller, leg);
    context.deliver(caller, new BrowserEvent.Answered(id, webrtcAnswer, dtmf));
  }

  private void failed(String step, MediaException e) {
    log.warn("{} failed: {}", step, e.getMessage());
    if (state == State.CALLING && leg != null) {
      leg.cancel();
    } else if (state == State.ANSWERING || state == State.ACTIVE) {
      leg.bye();
    }
    finish(
        new BrowserEvent.Ended(
            id, EndReason.FAILED, OptionalInt.empty(), Optional.of(e.getMessage())),
        step + " failed");
  }

  private void noAnswerTimeout() {
    if (state == State.CALLING) {
      leg.cancel();
      finish(BrowserEvent.Ended.of(id, EndReason.NO_ANSWER), "no answer");
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
    if (state != State.ENDED && request instanceof BrowserRequest.AddCandidate add) {
      gate.candidate(add.candidate());
      return Outcome.done();
    }
    if (state != State.ENDED && request instanceof BrowserRequest.Hangup) {
      hangUp(EndReason.HANGUP, "browser hung up");
      return Outcome.done();
    }
    if (state == State.ACTIVE && request instanceof BrowserRequest.Update update) {
      return renegotiation.browserUpdate(update);
    }
    if (state == State.ACTIVE && request instanceof BrowserRequest.SendDtmf send) {
      leg.dtmf(send.digits(), send.toneDuration());
      return Outcome.done();
    }
    if (state == State.ACTIVE && request instanceof BrowserRequest.Transfer transfer) {
      return transfers.request(callerUser, caller, transfer);
    }
    log.info("[{}] --{}--> refused", state, request.getClass().getSimpleName());
    return Outcome.Refused.of(
        Refusal.INVALID_STATE,
        request.getClass().getSimpleName().toLowerCase(Locale.ROOT)
            + " is not possible while the call to "
            + target
            + " is "
            + state.name().toLowerCase(Locale.ROOT));
  }

  /** The SIP dialog of this call once answered, for a transfer that replaces it. */
  Optional<DialogLeg> answeredLeg(SessionId session) {
    return state == State.ACTIVE && session.equals(caller) ? Optional.of(leg) : Optional.empty();
  }

  private void hangUp(EndReason reason, String why) {
    switch (state) {
      case CALLING -> leg.cancel();
      case ANSWERING, ACTIVE -> leg.bye();
      default -> {}
    }
    finish(BrowserEvent.Ended.of(id, reason), why);
  }

  @Override
  public void sessionGone(SessionId session) {
    if (session.equals(caller) && state != State.ENDED) {
      hangUp(EndReason.HANGUP, "caller's session gone");
    }
  }

  @Override
  public void end(EndReason reason, String why) {
    if (state != State.ENDED) {
      hangUp(reason, why);
    }
  }

  private void finish(BrowserEvent.Ended event, String why) {
    if (state == State.ENDED) {
      return;
    }
    enter(State.ENDED, why);
    event.sipCode().ifPresent(trace::sipCode);
    noAnswer.cancel();
    gate.cancel();
    watchdog.stop();
    renegotiation.stop();
    trace.ended(event.reason(), media.release());
    context.deliver(caller, event);
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
    return Set.of(caller);
  }

  @Override
  public Set<String> users() {
    return Set.of(callerUser);
  }

  @Override
  public CallFacts facts() {
    return new CallFacts(
        CallFacts.Direction.BROWSER_TO_SIP,
        state.name().toLowerCase(Locale.ROOT),
        callerUser,
        target,
        Optional.of(targets.get(0).destination().name()));
  }

  @Override
  public SessionOutcome.CallSummary summary(SessionId session) {
    return new SessionOutcome.CallSummary(id, state.name().toLowerCase(Locale.ROOT), true, target);
  }
}

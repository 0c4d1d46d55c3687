package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.ForkedLeg;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipTarget;
import dev.tandem.core.sip.SipUris;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call between two SIP phones registered to the bridge (standalone mode): the bridge is a
 * signaling-only B2BUA, both sides speak plain RTP, so the SDP passes unchanged and the media flows
 * between the phones.
 *
 * <pre>
 * state    event (side)                    next     actions
 * CALLING  1xx (callee)                    CALLING  caller: 180
 * CALLING  2xx (callee)                    ACTIVE   caller: 200 with the callee's answer
 * CALLING  final error (callee)            ENDED    caller: the same status
 * CALLING  CANCEL (caller)                 ENDED    callee: CANCEL
 * ACTIVE   BYE (either)                    ENDED    the other: BYE
 * ACTIVE   re-INVITE/UPDATE (either)       ACTIVE   the other: re-INVITE with the same offer;
 *                                                   its answer or error goes back
 * ACTIVE   a re-INVITE while one is open   ACTIVE   491 Request Pending
 * ACTIVE   changed answer in an ACK        ACTIVE   the other: re-INVITE with it (after a re-INVITE
 *          (either; its re-INVITE had no            without SDP, which the adapter answered with
 *          SDP)                                     that side's current SDP); its answer is logged
 * ACTIVE   ACK without an answer (either)  ENDED    both: BYE (RFC 3264 §5 needs one)
 * ACTIVE   INFO with a DTMF digit (either) ACTIVE   the other: INFO
 * ACTIVE   INFO picture_fast_update        ACTIVE   the other: INFO picture_fast_update
 * ACTIVE   no ACK for our 200 (caller)     ENDED    callee: BYE
 * ACTIVE   session timer expired (either)  ENDED    the other: BYE
 * (none)   INVITE without SDP              -        refused before the call exists: 488 (InboundCalls)
 * any      REFER (either)                  same     that side: final NOTIFY 603 Decline (the
 *                                                   bridge does not transfer phone-to-phone calls)
 * any      the bridge ends the call        ENDED    BYE (or 503 to the caller, CANCEL to the callee)
 * any      anything else                   same     logged
 * </pre>
 */
final class SipToSipCall implements Call {
  private static final Logger log = LoggerFactory.getLogger(SipToSipCall.class);

  enum State {
    CALLING,
    ACTIVE,
    ENDED
  }

  private final CallId id;
  private final InboundInvite invite;
  private final InboundLeg caller;
  private final PeerCall.Effects effects;
  private final CallTrace trace;
  private OutboundLeg callee;
  private State state = State.CALLING;

  /** The side whose re-INVITE waits for the other side's answer, or null. */
  private DialogLeg reofferFrom;

  /**
   * Whether the open re-INVITE carries a changed answer from an ACK: nobody waits for its answer.
   */
  private boolean forwardingAckAnswer;

  SipToSipCall(
      CallId id,
      InboundInvite invite,
      InboundLeg caller,
      PeerCall.Effects effects,
      CallTrace trace) {
    this.id = id;
    this.invite = invite;
    this.caller = caller;
    this.effects = effects;
    this.trace = trace;
  }

  /** Places the callee leg; {@code onCallee} brings its events back to the loop. */
  void start(
      BridgeContext context, List<SipTarget> targets, java.util.function.Consumer<Runnable> loop) {
    log.info(
        "SIP call {} -> {} at {} contact(s), media direct",
        invite.from(),
        invite.toUser(),
        targets.size());
    callee =
        ForkedLeg.place(
            context.sip(),
            targets.stream()
                .map(
                    t ->
                        new OutboundInvite(
                            id,
                            t.destination(),
                            t.requestUri(),
                            fromUser(),
                            invite.sdp().orElseThrow()))
                .toList(),
            event -> loop.accept(() -> onCallee(event)));
  }

  private String fromUser() {
    return SipUris.user(invite.from()).orElse("anonymous");
  }

  /** An event of the callee's leg, on the loop. */
  void onCallee(SipLegEvent event) {
    if (event instanceof SipLegEvent.Referred referred) {
      declineRefer(callee, referred);
      return;
    }
    switch (state) {
      case CALLING -> {
        if (event instanceof SipLegEvent.Provisional) {
          caller.ringing();
          trace.ringing();
        } else if (event instanceof SipLegEvent.Answered a) {
          state = State.ACTIVE;
          caller.answer(a.sdp());
          trace.sipCode(SipReasons.OK.code());
          trace.answered();
          log.info("SIP call answered");
        } else if (event instanceof SipLegEvent.Failed f) {
          caller.reject(f.status(), f.reason());
          trace.sipCode(f.status());
          finish(SipReasons.endReason(f.status()), "callee: " + f.status() + " " + f.reason());
        } else {
          unexpected("callee", event);
        }
      }
      case ACTIVE -> inDialog(callee, caller, event);
      case ENDED -> {
        if (event instanceof SipLegEvent.Answered) {
          callee.bye(); // answered as the caller's CANCEL crossed
        } else {
          unexpected("callee", event);
        }
      }
    }
  }

  /** An event of the caller's leg, on the loop. */
  void onCaller(SipLegEvent event) {
    if (event instanceof SipLegEvent.Referred referred) {
      declineRefer(caller, referred);
    } else if (state == State.CALLING && event instanceof SipLegEvent.Cancelled) {
      callee.cancel();
      trace.sipCode(SipReasons.REQUEST_TERMINATED.code()); // the adapter's 487 to the INVITE
      finish(EndReason.CANCELLED, "CANCEL from the caller");
    } else if (state == State.ACTIVE) {
      inDialog(caller, callee, event);
    } else {
      unexpected("caller", event);
    }
  }

  /**
   * A REFER from either phone, which the adapter already accepted (202, NOTIFY 100). The bridge
   * does not transfer phone-to-phone calls itself: here it only relays signaling between two phones
   * and places no call of its own, and a phone that wants to transfer can REFER through its own PBX
   * features or call the target directly. So the referrer is told at once with a final NOTIFY (RFC
   * 3515 §2.4.5) instead of waiting for its subscription to expire, and the call goes on.
   */
  private void declineRefer(DialogLeg from, SipLegEvent.Referred referred) {
    Transfers.decline(from, referred, state);
  }

  private void unexpected(String side, SipLegEvent event) {
    log.info("[{}] SIP {} from the {} ignored", state, event, side);
  }

  private void inDialog(DialogLeg from, DialogLeg other, SipLegEvent event) {
    if (event instanceof SipLegEvent.Bye bye) {
      other.bye();
      finish(
          from == caller ? EndReason.HANGUP : EndReason.REMOTE_HANGUP,
          "BYE" + bye.reason().map(r -> " (" + r + ")").orElse(""));
    } else if (event instanceof SipLegEvent.SessionExpired) {
      other.bye();
      finish(EndReason.TIMEOUT, "session timer expired");
    } else if (event instanceof SipLegEvent.AckTimeout) {
      other.bye();
      finish(EndReason.FAILED, "no ACK for our 200");
    } else if (event instanceof SipLegEvent.Dtmf d) {
      other.dtmf(String.valueOf(d.digit()), d.duration());
    } else if (event instanceof SipLegEvent.KeyframeWanted) {
      other.requestKeyframe(); // RFC 5168 INFO, passed on as it came
    } else if (event instanceof SipLegEvent.Reinvite r) {
      if (reofferFrom != null) {
        from.rejectReinvite(SipReasons.REQUEST_PENDING);
      } else {
        reofferFrom = from;
        other.reinvite(r.sdp());
      }
    } else if (event instanceof SipLegEvent.AnswerInAck ack && ack.sdp().isEmpty()) {
      from.bye();
      other.bye();
      finish(EndReason.FAILED, "ACK without the answer to our offer");
    } else if (event instanceof SipLegEvent.AnswerInAck ack) {
      if (reofferFrom != null || forwardingAckAnswer) {
        unexpected("a side during a re-INVITE (its media change waits for that one)", event);
      } else {
        forwardingAckAnswer = true;
        other.reinvite(ack.sdp().get());
      }
    } else if ((event instanceof SipLegEvent.ReinviteAnswered
            || event instanceof SipLegEvent.ReinviteFailed)
        && forwardingAckAnswer) {
      forwardingAckAnswer = false;
      log.info("the ACK's changed answer, forwarded as a re-INVITE: {}", event);
    } else if (event instanceof SipLegEvent.ReinviteAnswered a && reofferFrom != null) {
      reofferFrom.acceptReinvite(a.sdp());
      reofferFrom = null;
    } else if (event instanceof SipLegEvent.ReinviteFailed f && reofferFrom != null) {
      reofferFrom.rejectReinvite(f.status(), f.reason());
      reofferFrom = null;
    } else {
      unexpected(from == caller ? "caller" : "callee", event);
    }
  }

  /** The call is over; its record ends with {@code reason}, as the calling phone would be told. */
  private void finish(EndReason reason, String why) {
    if (state == State.ENDED) {
      return;
    }
    state = State.ENDED;
    trace.ended(reason);
    log.info("SIP call ended: {}", why);
    effects.ended(this);
  }

  @Override
  public CallId id() {
    return id;
  }

  @Override
  public Outcome on(SessionId from, BrowserRequest request) {
    return Outcome.Refused.of(Refusal.NOT_FOUND, "no such call");
  }

  @Override
  public void sessionGone(SessionId session) {}

  @Override
  public void end(EndReason reason, String why) {
    switch (state) {
      case CALLING -> {
        caller.reject(SipReasons.SERVICE_UNAVAILABLE);
        trace.sipCode(SipReasons.SERVICE_UNAVAILABLE.code());
        callee.cancel();
      }
      case ACTIVE -> {
        caller.bye();
        callee.bye();
      }
      case ENDED -> {
        return;
      }
    }
    finish(reason, why);
  }

  @Override
  public Set<SessionId> parties() {
    return Set.of();
  }

  @Override
  public Set<String> users() {
    return Set.of();
  }

  @Override
  public CallFacts facts() {
    return new CallFacts(
        CallFacts.Direction.SIP_TO_SIP,
        state.name().toLowerCase(Locale.ROOT),
        invite.from(),
        invite.toUser(),
        Optional.empty());
  }

  @Override
  public SessionOutcome.CallSummary summary(SessionId session) {
    throw new IllegalStateException("a SIP-to-SIP call has no browser session");
  }
}

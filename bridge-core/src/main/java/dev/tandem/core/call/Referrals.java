package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.dialplan.Routing;
import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.inbound.ReferScope;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.Refusal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfers as the switchboard sees them: where a browser's transfer goes ({@link
 * Transfers.Directory}), and the REFERs of SIP peers waiting for the browser to place the call they
 * ask for, whose referrers hear how that call goes in NOTIFYs (RFC 3515 §2.4.5). Confined to the
 * signaling loop.
 */
final class Referrals implements Transfers.Directory {
  private static final Logger log = LoggerFactory.getLogger(Referrals.class);

  /**
   * A REFER from a call's SIP peer, waiting for the browser to place the call it asks for; {@code
   * origin}: the side the peer speaks for, which bounds what the REFER may reach.
   */
  private record Referral(CallId from, SessionId session, DialogLeg leg, CallOrigin origin) {}

  private final CallRegistry calls;
  private final CallRules rules;
  private final Map<String, Referral> waiting = new HashMap<>();

  /** Calls placed to follow a REFER → the referral whose peer hears how they go (NOTIFY). */
  private final Map<CallId, Referral> followed = new HashMap<>();

  Referrals(CallRegistry calls, CallRules rules) {
    this.calls = calls;
    this.rules = rules;
  }

  /**
   * A browser's call that follows a SIP peer's REFER: first bounded by what the referring side
   * itself may reach ({@link ReferScope}: a REFER never dials out with the callee's rights), then
   * placed by {@code place} like any other (the same dial plan and permissions). A refused target
   * is refused to the browser and the peer told in a final NOTIFY (403 when out of scope); the
   * call's progress is reported to the referrer.
   */
  Outcome invite(
      Session caller,
      BrowserRequest.Invite invite,
      BiFunction<Session, BrowserRequest.Invite, Outcome> place) {
    String referId = invite.referId().orElseThrow();
    Referral referral = waiting.get(referId);
    if (referral == null || !referral.session().equals(caller.id)) {
      return Outcome.Refused.of(Refusal.NOT_FOUND, "no referral " + referId + " in this session");
    }
    waiting.remove(referId);
    ReferScope.Reach reach = reach(caller.user, invite.to());
    if (!ReferScope.allows(referral.origin(), reach)) {
      log.info(
          "REFER to {} from {} not followed: out of its scope ({})",
          invite.to(),
          referral.origin().describe(),
          reach);
      referral.leg().notifyRefer(SipReasons.FORBIDDEN);
      return Outcome.Refused.of(
          Refusal.FORBIDDEN,
          "the transferring party ("
              + referral.origin().describe()
              + ") may not reach "
              + invite.to());
    }
    Outcome outcome = place.apply(caller, invite);
    if (outcome instanceof Outcome.Refused refused) {
      referral.leg().notifyRefer(SipReasons.refusal(refused.refusal()));
    } else if (outcome instanceof Outcome.CallPlaced placed) {
      followed.put(placed.callId(), referral); // the adapter sent 100 Trying with the 202
    }
    return outcome;
  }

  /** Tells a referrer how the call placed for its REFER goes. */
  void report(BrowserEvent event) {
    if (followed.isEmpty()) {
      return;
    }
    Referral referral = followed.get(event.callId());
    if (referral == null) {
      return;
    }
    if (event instanceof BrowserEvent.Ringing) {
      referral.leg().notifyRefer(SipReasons.RINGING);
    } else if (event instanceof BrowserEvent.Answered) {
      followed.remove(event.callId());
      referral.leg().notifyRefer(SipReasons.OK);
    } else if (event instanceof BrowserEvent.Ended ended) {
      followed.remove(event.callId());
      SipReasons.Status status = SipReasons.rejection(ended.reason());
      referral
          .leg()
          .notifyRefer(
              ended.sipCode().orElse(status.code()), ended.sipReason().orElse(status.phrase()));
    }
  }

  /** A call ended: REFERs received in it wait no more. */
  void ended(CallId call) {
    if (!waiting.isEmpty()) {
      waiting.values().removeIf(r -> r.from().equals(call));
    }
  }

  @Override
  public Transfers.Target target(String user, SessionId session, BrowserRequest.Transfer transfer) {
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
    Bridging b = rules.bridging().orElseThrow();
    Optional<String> account = b.directory().account(to);
    if (account.isPresent()) {
      return new Transfers.Target.Uri(b.sip().localUri(account.get()));
    }
    Routing routing = b.dialPlan().route(user, to);
    if (routing instanceof Routing.Refused refused) {
      return new Transfers.Target.Refused(Outcome.Refused.of(refused));
    }
    if (routing instanceof Routing.ToSip toSip) {
      return new Transfers.Target.Uri(toSip.route().requestUri());
    }
    return new Transfers.Target.Uri(b.sip().localUri(((Routing.ToUser) routing).user()));
  }

  @Override
  public String referred(CallId call, SessionId session, DialogLeg leg) {
    String referId = Sessions.token(9);
    Call c = calls.get(call);
    CallOrigin origin =
        c instanceof SipInboundCall in
            ? in.origin
            : c instanceof SipOutboundCall out ? out.peer() : new CallOrigin.Untrusted("unknown");
    waiting.put(referId, new Referral(call, session, leg, origin));
    return referId;
  }

  /** Where the browser's call to {@code to} would go, routed as the Dialer routes it. */
  private ReferScope.Reach reach(String user, String to) {
    if (rules.bridging().isEmpty()) {
      return new ReferScope.Reach.BrowserUser(to);
    }
    Bridging b = rules.bridging().get();
    Optional<String> account = b.directory().account(to);
    if (account.isPresent()) {
      return new ReferScope.Reach.Account(account.get());
    }
    Routing routing = b.dialPlan().route(user, to);
    if (routing instanceof Routing.ToUser u) {
      return new ReferScope.Reach.BrowserUser(u.user());
    }
    if (routing instanceof Routing.ToSip sip) {
      return new ReferScope.Reach.Sip(
          sip.routes().stream().map(r -> r.destination().name()).collect(Collectors.toSet()));
    }
    return new ReferScope.Reach.Nowhere();
  }
}

package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.Routing;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.FailoverLeg;
import dev.tandem.core.sip.ForkedLeg;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.sip.SipTarget;
import dev.tandem.core.time.Scheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A browser's new call, routed: to a registrar account (forked to its contacts), to SIP by the dial
 * plan (through failover groups), or to another browser user. Checks the caller's call limit, the
 * dial plan's permissions and the SDP before anything is placed; what the new call does first waits
 * until the request is answered ({@code after}). Confined to the signaling loop.
 */
final class Dialer {
  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  private final CallRegistry calls;
  private final Sessions sessions;
  private final CallSettings settings;
  private final SdpCheck sdpCheck;
  private final Optional<Bridging> bridging;
  private final Scheduler scheduler;
  private final BridgeContext context;
  private final Consumer<Runnable> after;
  private final BooleanSupplier stopping;
  private final CallLogging logging;
  private final CallTraces traces;

  /**
   * @param after defers work until the request has been answered
   * @param stopping whether the bridge is stopping (no new calls)
   */
  Dialer(
      CallRegistry calls,
      Sessions sessions,
      CallSettings settings,
      SdpCheck sdpCheck,
      Optional<Bridging> bridging,
      Scheduler scheduler,
      BridgeContext context,
      Consumer<Runnable> after,
      BooleanSupplier stopping,
      CallLogging logging,
      CallTraces traces) {
    this.calls = calls;
    this.sessions = sessions;
    this.settings = settings;
    this.sdpCheck = sdpCheck;
    this.bridging = bridging;
    this.scheduler = scheduler;
    this.context = context;
    this.after = after;
    this.stopping = stopping;
    this.logging = logging;
    this.traces = traces;
  }

  /** Places {@code invite} for {@code caller}; the call id, or why not. */
  Outcome invite(Session caller, BrowserRequest.Invite invite) {
    if (stopping.getAsBoolean()) {
      return Outcome.Refused.of(Refusal.UNAVAILABLE, "the bridge is stopping");
    }
    if (calls.countOf(caller.user) >= settings.maxPerUser()) {
      return Outcome.Refused.of(
          Refusal.TOO_MANY_CALLS,
          caller.user + " already has " + settings.maxPerUser() + " calls (the limit)");
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
            .map(Bridging::dialPlan)
            .orElse(DialPlan.usersOnly())
            .route(caller.user, invite.to());
    if (routing instanceof Routing.Refused refused) {
      return Outcome.Refused.of(refused);
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
    return callUser(caller, invite, ((Routing.ToUser) routing).user());
  }

  /** Browser to browser: every other session of {@code to} rings. */
  private Outcome callUser(Session caller, BrowserRequest.Invite invite, String to) {
    if (invite.anonymous()) {
      return Outcome.Refused.of(
          Refusal.FORBIDDEN, "anonymous calls go to SIP destinations only, not to " + to);
    }
    CallId id = CallId.random();
    return logging.with(
        id,
        () -> {
          PeerCall call =
              new PeerCall(
                  id,
                  caller.id,
                  caller.user,
                  to,
                  context,
                  traces.start(
                      id,
                      CallRecord.Direction.BROWSER_TO_BROWSER,
                      caller.user,
                      to,
                      Optional.empty()));
          join(call, caller);
          List<Session> callee = new ArrayList<>();
          for (Session s : sessions.ofUser(to)) {
            if (!s.id.equals(caller.id)) {
              callee.add(s);
            }
          }
          log.info("call {} -> {} ({} sessions)", caller.user, to, callee.size());
          if (callee.isEmpty()) {
            after.accept(() -> call.end(EndReason.UNAVAILABLE, to + " has no session"));
          } else if (calls.countOf(to) > settings.maxPerUser()) {
            after.accept(
                () ->
                    call.end(
                        EndReason.BUSY,
                        to + " is in " + settings.maxPerUser() + " calls (the limit)"));
          } else {
            List<SessionId> ringing = new ArrayList<>();
            for (Session s : callee) {
              s.calls.add(id);
              calls.shownTo(id, s.id);
              ringing.add(s.id);
            }
            Scheduler.Cancellable timer =
                scheduler.schedule(
                    settings.ringTimeout(),
                    () ->
                        logging.run(
                            id,
                            () -> {
                              if (calls.get(id) == call) {
                                call.ringTimeout();
                              }
                            }));
            after.accept(() -> call.ring(ringing, invite.sdp(), timer));
          }
          return new Outcome.CallPlaced(id);
        });
  }

  private Outcome callSip(
      Session caller,
      BrowserRequest.Invite invite,
      List<SipTarget> targets,
      SipOutboundCall.Placement placement) {
    Bridging b = bridging.orElseThrow();
    List<SipTarget> presented = new ArrayList<>();
    for (SipTarget t : targets) {
      Destination d = t.destination();
      Optional<String> refused = d.identity().refusal(caller.profile, invite.anonymous(), d.name());
      if (refused.isPresent()) {
        return Outcome.Refused.of(Refusal.FORBIDDEN, refused.get());
      }
      // a user with its own identity at a destination calls there as itself (upstream mode)
      Optional<SipIdentity> own = b.identities().identity(caller.user, d);
      CallerId from =
          d.identity()
              .callerId(
                  caller.profile, d.domain(), own.map(SipIdentity::fromUri), invite.anonymous());
      presented.add(
          new SipTarget(
              own.map(i -> d.withCredentials(i.credentials())).orElse(d),
              t.requestUri(),
              Optional.of(from)));
    }
    CallId id = CallId.random();
    return logging.with(
        id,
        () -> {
          SipOutboundCall call =
              new SipOutboundCall(
                  id,
                  caller.id,
                  caller.user,
                  invite.to().strip(),
                  presented,
                  placement,
                  settings.ringTimeout(),
                  context,
                  traces.start(
                      id,
                      CallRecord.Direction.OUTBOUND,
                      caller.user,
                      invite.to().strip(),
                      presented.stream().findFirst().map(t -> t.destination().name())));
          join(call, caller);
          after.accept(() -> call.start(invite.sdp()));
          return new Outcome.CallPlaced(id);
        });
  }

  private void join(Call call, Session caller) {
    calls.add(call);
    caller.calls.add(call.id());
    calls.shownTo(call.id(), caller.id);
  }
}

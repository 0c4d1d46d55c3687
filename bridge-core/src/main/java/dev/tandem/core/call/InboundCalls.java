package dev.tandem.core.call;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.inbound.InboundPolicy;
import dev.tandem.core.inbound.InboundTarget;
import dev.tandem.core.registrar.Directory;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.vocabulary.CallId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an INVITE from SIP goes. First who may ring at all ({@link InboundPolicy#admit}: 403 with a
 * Warning when nobody vouches for the source); then a registrar account (a phone-to-phone call);
 * else the browser users the inbound table names for the called number (one user, or a ring group
 * in parallel), else the user the Request-URI names. A user nobody knows gets 404; one known but
 * offline 480; other refusals come from the table in {@link SipReasons}. Confined to the signaling
 * loop.
 */
final class InboundCalls {
  private static final Logger log = LoggerFactory.getLogger(InboundCalls.class);

  private final CallRegistry calls;
  private final Sessions sessions;
  private final CallSettings settings;
  private final SdpCheck sdpCheck;
  private final Optional<Bridging> bridging;
  private final BridgeContext context;
  private final BooleanSupplier stopping;
  private final CallTraces traces;
  private InboundPolicy policy = InboundPolicy.UNCHECKED;

  InboundCalls(
      CallRegistry calls,
      Sessions sessions,
      CallSettings settings,
      SdpCheck sdpCheck,
      Optional<Bridging> bridging,
      BridgeContext context,
      BooleanSupplier stopping,
      CallTraces traces) {
    this.calls = calls;
    this.sessions = sessions;
    this.settings = settings;
    this.sdpCheck = sdpCheck;
    this.bridging = bridging;
    this.context = context;
    this.stopping = stopping;
    this.traces = traces;
  }

  /** The inbound table and trust rule; before the first call. */
  void policy(InboundPolicy policy) {
    this.policy = policy;
  }

  void place(CallId id, InboundInvite invite, InboundLeg leg) {
    String user = invite.toUser();
    if (stopping.getAsBoolean() || bridging.isEmpty()) {
      leg.reject(SipReasons.SERVICE_UNAVAILABLE);
      return;
    }
    Directory directory = bridging.get().directory();
    InboundPolicy.Admission admission =
        policy.admit(invite.source(), invite.authenticated(), directory::registeredFrom);
    if (admission instanceof InboundPolicy.Admission.Refused refused) {
      log.info(
          "SIP call from {} ({}) to {}: 403, {}",
          invite.from(),
          invite.source(),
          user,
          refused.why());
      leg.reject(SipReasons.FORBIDDEN, refused.why());
      return;
    }
    CallOrigin origin = ((InboundPolicy.Admission.Admitted) admission).origin();
    Optional<String> account = directory.account(user);
    if (account.isPresent()) {
      if (origin instanceof CallOrigin.Untrusted) {
        log.info("SIP call from {} to phone {}: 403, untrusted", invite.from(), account.get());
        leg.reject(SipReasons.FORBIDDEN, "an untrusted source may ring browser users only");
        return;
      }
      if (invite.sdp().isEmpty()) {
        // Phone to phone the SDP passes through unchanged; a late offer would need the callee's
        // offer in its 200 held until the caller's ACK brings the answer. Refused, and said why.
        log.info("SIP call from {} to phone {}: INVITE without SDP refused", invite.from(), user);
        leg.reject(SipReasons.NOT_ACCEPTABLE_HERE.because("no SDP offer (late offer) to a phone"));
        return;
      }
      SipToSipCall call =
          new SipToSipCall(
              id,
              invite,
              leg,
              context,
              traces.start(
                  id,
                  CallRecord.Direction.SIP_TO_SIP,
                  invite.caller(),
                  user,
                  Optional.of(origin.describe())));
      calls.add(call);
      log.info(
          "SIP call from {} ({}) to phone {}", invite.from(), origin.describe(), account.get());
      call.start(context, directory.targets(account.get()), work -> context.onLoop(id, work));
      return;
    }
    InboundTarget target = policy.target(user);
    Map<SessionId, String> ringing = new LinkedHashMap<>();
    boolean known = false;
    boolean busy = false;
    for (String member : target.users()) {
      if (!Switchboard.USER_NAME.matcher(member).matches()) {
        continue;
      }
      List<Session> online = sessions.ofUser(member);
      known |= !online.isEmpty() || policy.configured(member);
      if (online.isEmpty()) {
        continue;
      }
      if (calls.countOf(member) >= settings.maxPerUser()) {
        busy = true;
        continue;
      }
      online.forEach(s -> ringing.put(s.id, member));
    }
    if (ringing.isEmpty()) {
      SipReasons.Status status =
          busy
              ? SipReasons.BUSY_HERE
              : known ? SipReasons.TEMPORARILY_UNAVAILABLE : SipReasons.NOT_FOUND;
      log.info(
          "SIP call from {} to {} ({}): {} {}",
          invite.from(),
          user,
          target,
          status.code(),
          busy ? "busy" : known ? "nobody online" : "no such user");
      leg.reject(status);
      return;
    }
    if (invite.sdp().flatMap(sdpCheck::check).isPresent()) {
      leg.reject(SipReasons.NOT_ACCEPTABLE_HERE);
      return;
    }
    SipInboundCall call =
        new SipInboundCall(
            id,
            invite,
            leg,
            context,
            origin,
            target,
            ringing,
            traces.start(
                id,
                CallRecord.Direction.INBOUND,
                invite.caller(),
                user,
                Optional.of(origin.describe())));
    calls.add(call);
    for (SessionId s : ringing.keySet()) {
      sessions.get(s).calls.add(id);
      calls.shownTo(id, s);
    }
    call.start(settings.ringTimeout());
  }
}

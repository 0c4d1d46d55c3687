package dev.tandem.core.call;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.vocabulary.CallId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an INVITE from SIP goes: to a registrar account (a phone-to-phone call), or to a browser
 * user, whose every session rings; refused with the table's status when neither can take it ({@link
 * SipReasons}). Confined to the signaling loop.
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

  InboundCalls(
      CallRegistry calls,
      Sessions sessions,
      CallSettings settings,
      SdpCheck sdpCheck,
      Optional<Bridging> bridging,
      BridgeContext context,
      BooleanSupplier stopping) {
    this.calls = calls;
    this.sessions = sessions;
    this.settings = settings;
    this.sdpCheck = sdpCheck;
    this.bridging = bridging;
    this.context = context;
    this.stopping = stopping;
  }

  void place(CallId id, InboundInvite invite, InboundLeg leg) {
    String user = invite.toUser();
    if (stopping.getAsBoolean() || bridging.isEmpty()) {
      leg.reject(SipReasons.SERVICE_UNAVAILABLE);
      return;
    }
    Optional<String> account = bridging.get().directory().account(user);
    if (account.isPresent()) {
      if (invite.sdp().isEmpty()) {
        // Phone to phone the SDP passes through unchanged; a late offer would need the callee's
        // offer in its 200 held until the caller's ACK brings the answer. Refused, and said why.
        log.info("SIP call from {} to phone {}: INVITE without SDP refused", invite.from(), user);
        leg.reject(SipReasons.NOT_ACCEPTABLE_HERE.because("no SDP offer (late offer) to a phone"));
        return;
      }
      SipToSipCall call = new SipToSipCall(id, invite, leg, context);
      calls.add(call);
      call.start(
          context,
          bridging.get().directory().targets(account.get()),
          work -> context.onLoop(id, work));
      return;
    }
    List<Session> sessionsOfUser = sessions.ofUser(user);
    if (!Switchboard.USER_NAME.matcher(user).matches() || sessionsOfUser.isEmpty()) {
      log.info("SIP call from {} to {}: no session", invite.from(), user);
      leg.reject(SipReasons.TEMPORARILY_UNAVAILABLE);
      return;
    }
    if (calls.countOf(user) >= settings.maxPerUser()) {
      leg.reject(SipReasons.BUSY_HERE);
      return;
    }
    if (invite.sdp().flatMap(sdpCheck::check).isPresent()) {
      leg.reject(SipReasons.NOT_ACCEPTABLE_HERE);
      return;
    }
    SipInboundCall call = new SipInboundCall(id, invite, leg, context);
    calls.add(call);
    List<SessionId> ringing = new ArrayList<>();
    for (Session s : sessionsOfUser) {
      s.calls.add(id);
      calls.shownTo(id, s.id);
      ringing.add(s.id);
    }
    call.start(ringing, settings.ringTimeout());
  }
}

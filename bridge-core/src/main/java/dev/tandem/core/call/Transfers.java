package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipUris;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.Refusal;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfers of one browser ⇄ SIP call, both ways, the same for calls placed by either side:
 *
 * <pre>
 * event                                  what happens
 * browser: Transfer (to, or replaces)    the target is resolved like a dialled call (same
 *                                        permissions: 4003 when the user may not dial it) or is
 *                                        the other call's peer with Replaces; REFER to the peer
 * a second Transfer while one is open    refused (invalid-state)
 * SIP: REFER refused / NOTIFY sipfrag    browser: TransferProgress(status); a 2xx: BYE, the call
 *                                        ends "transferred"; a failure leaves the call as it was
 * SIP: REFER from the peer               browser: Referred(referId, to); the browser's new call
 *                                        with that referId is reported to the peer in NOTIFYs
 *                                        (see Switchboard)
 * SIP: REFER before the answer, or     the referrer: final NOTIFY 603 Decline (the call goes
 *   after the end                        on as it was; see SipReasons.referDeclined)
 * </pre>
 */
final class Transfers {
  private static final Logger log = LoggerFactory.getLogger(Transfers.class);

  /** What resolving a transfer's target gives: the Refer-To URI, or why not. */
  sealed interface Target {
    record Uri(String referTo) implements Target {}

    record Refused(Outcome.Refused refusal) implements Target {}
  }

  /** What the switchboard does for transfers: resolve targets, remember referrals. */
  interface Directory {
    /** The Refer-To for a transfer of {@code user}'s call in {@code session}. */
    Target target(String user, SessionId session, BrowserRequest.Transfer transfer);

    /** A REFER from the peer of {@code call}: remembered under the returned refer id. */
    String referred(CallId call, SessionId session, DialogLeg leg);
  }

  private final CallId id;
  private final BridgeContext context;
  private final Supplier<DialogLeg> leg;
  private boolean pending;

  Transfers(CallId id, BridgeContext context, Supplier<DialogLeg> leg) {
    this.id = id;
    this.context = context;
    this.leg = leg;
  }

  /** A browser's transfer request, for an answered call. */
  Outcome request(String user, SessionId session, BrowserRequest.Transfer transfer) {
    if (pending) {
      return Outcome.Refused.of(Refusal.INVALID_STATE, "a transfer of this call is under way");
    }
    Target target = context.transfers().target(user, session, transfer);
    if (target instanceof Target.Refused refused) {
      return refused.refusal();
    }
    String referTo = ((Target.Uri) target).referTo();
    pending = true;
    log.info("transfer: REFER to {}", referTo);
    leg.get().refer(referTo);
    return Outcome.done();
  }

  /**
   * A SIP event for transfers; true when it was one. {@code transferred} ends the call once the
   * target answered.
   */
  boolean onSip(SipLegEvent event, SessionId browser, Runnable transferred) {
    if (event instanceof SipLegEvent.TransferProgress p) {
      context.deliver(browser, new BrowserEvent.TransferProgress(id, p.status(), p.reason()));
      if (SipReasons.isFinal(p.status())) {
        pending = false;
        if (SipReasons.isSuccess(p.status())) {
          log.info("transfer completed");
          transferred.run();
        } else {
          log.info("transfer failed: {} {}", p.status(), p.reason());
        }
      }
      return true;
    }
    if (event instanceof SipLegEvent.Referred r) {
      String referId = context.transfers().referred(id, browser, leg.get());
      String uri = r.referTo();
      context.deliver(browser, new BrowserEvent.Referred(id, referId, dialled(uri), uri));
      log.info("REFER from SIP to {}: browser asked to follow ({})", uri, referId);
      return true;
    }
    return false;
  }

  /**
   * Answers a REFER that cannot be followed in the call's current {@code state} with a final NOTIFY
   * (the adapter already sent 202 and NOTIFY 100; without a final NOTIFY the referrer waits for its
   * subscription to time out).
   */
  static void decline(DialogLeg leg, SipLegEvent.Referred referred, Object state) {
    SipReasons.Status status = SipReasons.referDeclined();
    log.info(
        "[{}] --REFER to {}--> not followed: NOTIFY {} {}",
        state,
        referred.referTo(),
        status.code(),
        status.phrase());
    leg.notifyRefer(status.code(), status.phrase());
  }

  /**
   * What the browser dials for a Refer-To: the user part of a SIP URI (so that the dial plan and
   * the user's permissions decide), or the text as it is.
   */
  static String dialled(String referTo) {
    return SipUris.user(referTo).orElse(referTo.strip());
  }
}

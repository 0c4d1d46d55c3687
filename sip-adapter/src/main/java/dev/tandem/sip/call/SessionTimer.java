package dev.tandem.sip.call;

import dev.tandem.core.time.Scheduler;
import dev.tandem.sip.stack.ClientEvents;
import gov.nist.javax.sip.DialogTimeoutEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ResponseEvent;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dialog's session timer (RFC 4028 §10), once agreed:
 *
 * <ul>
 *   <li>when we refresh: every half interval an UPDATE without a body if the peer allows UPDATE,
 *       else a re-INVITE with our current SDP unchanged (RFC 3264 §8: no new offer); a 2xx starts
 *       the interval again, 408 or 481 (or no answer) means the peer is gone;
 *   <li>when the peer refreshes: any re-INVITE or UPDATE from it starts the interval again; with
 *       none for interval − min(32 s, interval / 3), the session has expired.
 * </ul>
 *
 * An expired session runs {@code expired} (BYE and a core event). Runs on the call's owner: its
 * timers are the owner's scheduler, and responses to its refreshes hop there.
 */
final class SessionTimer implements ClientEvents {
  private static final Logger log = LoggerFactory.getLogger(SessionTimer.class);

  private final EstablishedDialog established;
  private final Dialog dialog;
  private final SipProvider provider;
  private final LegContext context;
  private final SessionTimers.Agreed agreed;
  private final boolean update;
  private final BooleanSupplier live;
  private final Runnable expired;
  private Scheduler.Cancellable pending = Scheduler.Cancellable.NONE;
  private boolean over;

  /**
   * @param update whether the peer allows UPDATE (the lighter refresh)
   * @param live whether the dialog still stands
   * @param expired what to do when the session expires: BYE and a core event
   */
  SessionTimer(
      EstablishedDialog established,
      LegContext context,
      SessionTimers.Agreed agreed,
      boolean update,
      BooleanSupplier live,
      Runnable expired) {
    this.established = established;
    this.dialog = established.dialog();
    this.provider = established.provider();
    this.context = context;
    this.agreed = agreed;
    this.update = update;
    this.live = live;
    this.expired = expired;
  }

  void start() {
    log.info(
        "session timer {} s, refreshed by {}",
        agreed.interval().toSeconds(),
        agreed.weRefresh() ? "us" : "the peer");
    schedule();
  }

  /** A refresh went through, either way: the interval starts again. */
  void refreshed() {
    schedule();
  }

  private void schedule() {
    if (over) {
      return;
    }
    pending.cancel();
    Duration interval = agreed.interval();
    if (agreed.weRefresh()) {
      pending = later(interval.dividedBy(2), this::refresh);
    } else {
      Duration margin = interval.dividedBy(3);
      if (margin.compareTo(Duration.ofSeconds(32)) > 0) {
        margin = Duration.ofSeconds(32);
      }
      pending = later(interval.minus(margin), () -> expire("no refresh from the peer"));
    }
  }

  private Scheduler.Cancellable later(Duration delay, Runnable task) {
    return context
        .timers()
        .schedule(delay, () -> LegContext.withLogging(established.logging(), task));
  }

  private void refresh() {
    if (over) {
      return;
    }
    if (!live.getAsBoolean()) {
      over = true;
      return;
    }
    try {
      Request refresh = update ? established.request(Request.UPDATE) : established.refreshInvite();
      refresh.setHeader(
          new SessionTimers.SessionExpires(agreed.interval().toSeconds(), Optional.of(ourRole()))
              .header(context.messages()));
      context.io(
          () -> {
            ClientTransaction transaction = provider.getNewClientTransaction(refresh);
            transaction.setApplicationData(this);
            dialog.sendRequest(transaction);
            log.debug("session refresh ({}) sent", refresh.getMethod());
          });
    } catch (Exception e) {
      log.warn("cannot send the session refresh: {}", e.toString());
    }
    // a refresh that gets no answer at all ends the session at the interval's end
    pending =
        later(agreed.interval().dividedBy(2), () -> expire("the session refresh got no answer"));
  }

  /** Whether this side is the UAC of the dialog, which names the refresher. */
  private String ourRole() {
    return dialog.isServer() ? "uas" : "uac";
  }

  /** The session ends now (no refresh, or the peer is gone). */
  private void expire(String why) {
    if (over) {
      return;
    }
    over = true;
    pending.cancel();
    if (live.getAsBoolean()) {
      log.info("session expired: {}", why);
      expired.run();
    }
  }

  @Override
  public void response(ResponseEvent event) {
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
    if (status < 300 && Request.INVITE.equals(method)) {
      long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
      context.io(() -> dialog.sendAck(dialog.createAck(cseq)));
    }
    onOwner(
        () -> {
          if (status < 300) {
            refreshed();
          } else if (status == Response.REQUEST_TIMEOUT
              || status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
            expire("the session refresh got " + status);
          } else {
            log.info("session refresh refused with {}; trying again at the next half", status);
            refreshed();
          }
        });
  }

  @Override
  public void timeout(TimeoutEvent event) {
    onOwner(() -> expire("the session refresh timed out"));
  }

  private void onOwner(Runnable work) {
    context.onOwner(established.logging(), work);
  }

  @Override
  public void dialogTimeout(DialogTimeoutEvent event) {}
}

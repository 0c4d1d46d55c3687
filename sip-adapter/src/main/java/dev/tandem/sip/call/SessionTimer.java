package dev.tandem.sip.call;

import dev.tandem.sip.stack.ClientEvents;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
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
 * An expired session runs {@code expired} (BYE and a core event). Works on the SIP sending thread.
 */
final class SessionTimer implements ClientEvents {
  private static final Logger log = LoggerFactory.getLogger(SessionTimer.class);

  private final Dialog dialog;
  private final SipProvider provider;
  private final Providers providers;
  private final SipMessages messages;
  private final SessionTimers.Agreed agreed;
  private final boolean update;
  private final EstablishedDialog established;
  private final BooleanSupplier live;
  private final Runnable expired;
  private int generation;
  private boolean over;

  /**
   * @param update whether the peer allows UPDATE (the lighter refresh)
   * @param live whether the dialog still stands
   * @param expired what to do when the session expires: BYE and a core event
   */
  SessionTimer(
      Dialog dialog,
      SipProvider provider,
      Providers providers,
      SipMessages messages,
      SessionTimers.Agreed agreed,
      boolean update,
      EstablishedDialog established,
      BooleanSupplier live,
      Runnable expired) {
    this.dialog = dialog;
    this.provider = provider;
    this.providers = providers;
    this.messages = messages;
    this.agreed = agreed;
    this.update = update;
    this.established = established;
    this.live = live;
    this.expired = expired;
  }

  void start() {
    log.info(
        "session timer {} s, refreshed by {}",
        agreed.interval().toSeconds(),
        agreed.weRefresh() ? "us" : "the peer");
    providers.send(this::schedule);
  }

  /** A refresh went through, either way: the interval starts again. */
  void refreshed() {
    providers.send(this::schedule);
  }

  private synchronized void schedule() {
    if (over) {
      return;
    }
    int at = ++generation;
    Duration interval = agreed.interval();
    if (agreed.weRefresh()) {
      providers.sendLater(interval.dividedBy(2), () -> refreshIf(at));
    } else {
      Duration margin = interval.dividedBy(3);
      if (margin.compareTo(Duration.ofSeconds(32)) > 0) {
        margin = Duration.ofSeconds(32);
      }
      providers.sendLater(interval.minus(margin), () -> expireIf(at, "no refresh from the peer"));
    }
  }

  private synchronized void refreshIf(int at) {
    if (at != generation || over) {
      return;
    }
    if (!live.getAsBoolean()) {
      over = true;
      return;
    }
    try {
      Request refresh;
      if (update) {
        refresh = dialog.createRequest(Request.UPDATE);
      } else {
        refresh = established.refreshInvite();
      }
      refresh.setHeader(
          new SessionTimers.SessionExpires(agreed.interval().toSeconds(), Optional.of(ourRole()))
              .header(messages));
      ClientTransaction transaction = provider.getNewClientTransaction(refresh);
      transaction.setApplicationData(this);
      dialog.sendRequest(transaction);
      log.debug("session refresh ({}) sent", refresh.getMethod());
    } catch (Exception e) {
      log.warn("cannot send the session refresh: {}", e.toString());
    }
    // a refresh that gets no answer at all ends the session at the interval's end
    Duration rest = agreed.interval().dividedBy(2);
    providers.sendLater(rest, () -> expireIf(at, "the session refresh got no answer"));
  }

  /** Whether this side is the UAC of the dialog, which names the refresher. */
  private String ourRole() {
    return dialog.isServer() ? "uas" : "uac";
  }

  private synchronized void expireIf(int at, String why) {
    if (at != generation || over) {
      return;
    }
    over = true;
    if (live.getAsBoolean()) {
      log.info("session expired: {}", why);
      expired.run();
    }
  }

  /** The peer is gone (our refresh failed): the session ends now. */
  private synchronized void expireNow(String why) {
    expireIf(generation, why);
  }

  @Override
  public void response(ResponseEvent event) {
    Response response = event.getResponse();
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
    if (status < 300) {
      if (Request.INVITE.equals(method)) {
        try {
          long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
          dialog.sendAck(dialog.createAck(cseq));
        } catch (Exception e) {
          log.warn("cannot ACK the refresh's 2xx: {}", e.toString());
        }
      }
      refreshed();
    } else if (status == Response.REQUEST_TIMEOUT
        || status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST) {
      providers.send(() -> expireNow("the session refresh got " + status));
    } else {
      log.info("session refresh refused with {}; trying again at the next half", status);
      refreshed();
    }
  }

  @Override
  public void timeout(TimeoutEvent event) {
    providers.send(() -> expireNow("the session refresh timed out"));
  }

  @Override
  public void dialogTimeout(DialogTimeoutEvent event) {}
}

package dev.tandem.sip.call;

import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.util.Optional;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An INVITE a SIP peer sent to a browser user: its server transaction and dialog. Core answers
 * through the {@link InboundLeg} methods (on the sending thread); CANCEL and BYE arrive on JAIN-SIP
 * threads. Every response carries the same To tag.
 */
final class InboundSipLeg implements InboundLeg, SipDialogLeg {
  private static final Logger log = LoggerFactory.getLogger(InboundSipLeg.class);

  private final ServerTransaction transaction;
  private final Dialog dialog;
  private final SipProvider provider;
  private final Providers providers;
  private final SipMessages messages;
  private final ContactHeader contact;
  private final String toTag = SipMessages.newTag();
  private final EstablishedDialog established;
  private final SessionTimers timers;
  private volatile SipLegListener listener = event -> {};
  private boolean finalSent;
  private boolean answered;
  private boolean ended;

  InboundSipLeg(
      ServerTransaction transaction,
      Dialog dialog,
      SipProvider provider,
      Providers providers,
      SipMessages messages,
      ContactHeader contact,
      SessionTimers timers) {
    this.transaction = transaction;
    this.timers = timers;
    this.dialog = dialog;
    this.provider = provider;
    this.providers = providers;
    this.messages = messages;
    this.contact = contact;
    this.established =
        new EstablishedDialog(
            dialog, provider, providers, messages, contact, () -> this.listener, this::live);
    dialog.setApplicationData(this);
  }

  void listen(SipLegListener listener) {
    this.listener = listener;
  }

  private Request request() {
    return transaction.getRequest();
  }

  /** 100 Trying, at once (RFC 3261 §8.2.6.1). */
  void trying() {
    respond(messages.response(request(), Response.TRYING), false);
  }

  @Override
  public void ringing() {
    providers.send(
        () -> {
          synchronized (this) {
            if (!finalSent) {
              Response ringing = messages.response(request(), Response.RINGING, toTag);
              ringing.setHeader(contact);
              respond(ringing, false);
            }
          }
        });
  }

  @Override
  public void answer(String sdp) {
    providers.send(
        () -> {
          synchronized (this) {
            if (finalSent) {
              return;
            }
            try {
              Response ok = messages.response(request(), Response.OK, toTag);
              ok.setHeader(contact);
              ok.setContent(
                  sdp,
                  (ContentTypeHeader)
                      messages.headers().createContentTypeHeader("application", "sdp"));
              Optional<SessionTimers.Agreed> agreed = timers.answer(request(), ok, messages);
              finalSent = true;
              answered = true;
              transaction.sendResponse(ok);
              SipBodies.sdp(request()).ifPresent(offer -> established.established(sdp, offer));
              agreed.ifPresent(
                  a ->
                      established.time(
                          new SessionTimer(
                              dialog,
                              provider,
                              providers,
                              messages,
                              a,
                              SessionTimers.allows(request(), Request.UPDATE),
                              established,
                              this::live,
                              this::sessionExpired)));
            } catch (Exception e) {
              log.warn("cannot send 200 OK: {}", e.toString());
            }
          }
        });
  }

  @Override
  public void reject(int status, String reason) {
    providers.send(
        () -> {
          synchronized (this) {
            if (finalSent) {
              return;
            }
            finalSent = true;
            Response response = messages.response(request(), status, toTag);
            try {
              response.setReasonPhrase(reason);
            } catch (java.text.ParseException e) {
              log.debug("keeping the standard reason phrase: {}", e.getMessage());
            }
            respond(response, true);
          }
        });
  }

  @Override
  public void bye() {
    providers.send(this::sendBye);
  }

  /** BYE once, in an answered dialog that is still up; whether it was sent. */
  private synchronized boolean sendBye() {
    if (!answered || ended) {
      return false;
    }
    ended = true;
    SipBodies.sendBye(dialog, provider);
    return true;
  }

  /** The session timer ran out: BYE, then core is told. */
  private void sessionExpired() {
    if (sendBye()) {
      listener.on(new SipLegEvent.SessionExpired());
    }
  }

  /** The caller cancelled: 487 for the INVITE (the dispatcher answered the CANCEL itself). */
  void onCancel() {
    synchronized (this) {
      if (finalSent) {
        return;
      }
      finalSent = true;
      respond(messages.response(request(), Response.REQUEST_TERMINATED, toTag), true);
    }
    listener.on(new SipLegEvent.Cancelled());
  }

  @Override
  public void onBye(Request bye) {
    synchronized (this) {
      ended = true;
    }
    listener.on(new SipLegEvent.Bye(SipBodies.reason(bye)));
  }

  private synchronized boolean live() {
    return answered && !ended;
  }

  @Override
  public void reinvite(String sdp) {
    established.reinvite(sdp);
  }

  @Override
  public void acceptReinvite(String sdp) {
    established.acceptReinvite(sdp);
  }

  @Override
  public void rejectReinvite(int status, String reason) {
    established.rejectReinvite(status, reason);
  }

  @Override
  public void onReinvite(Request request, ServerTransaction transaction) throws Exception {
    established.receive(request, transaction);
  }

  @Override
  public void onDtmf(DtmfInfo.Digit digit) {
    established.onDtmf(digit);
  }

  @Override
  public void dtmf(String digits, java.time.Duration toneDuration) {
    established.dtmf(digits, toneDuration);
  }

  @Override
  public void refer(String referTo) {
    established.refer(referTo);
  }

  @Override
  public java.util.Optional<String> replacingUri() {
    return live() ? established.replacingUri() : java.util.Optional.empty();
  }

  @Override
  public void notifyRefer(int status, String reason) {
    established.notifyRefer(status, reason);
  }

  @Override
  public void onNotify(Request notify, ServerTransaction transaction) throws Exception {
    established.onNotify(notify, transaction);
  }

  @Override
  public void onRefer(Request refer, ServerTransaction transaction) throws Exception {
    established.onRefer(refer, transaction);
  }

  /** Our 200 was never ACKed (RFC 3261 §13.3.1.4). */
  void onAckTimeout() {
    synchronized (this) {
      ended = true;
    }
    listener.on(new SipLegEvent.AckTimeout());
  }

  private void respond(Response response, boolean isFinal) {
    try {
      transaction.sendResponse(response);
    } catch (Exception e) {
      log.warn("cannot send {}: {}", response.getStatusCode(), e.toString());
    }
  }
}

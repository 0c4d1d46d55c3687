package dev.tandem.sip.call;

import dev.tandem.core.registrar.Binding;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.stack.TlsPeer;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RSeqHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP leg of a browser's call: one INVITE client transaction and its dialog. Responses and
 * in-dialog requests arrive on JAIN-SIP threads; core's commands on the sending thread; the leg's
 * state is guarded by its monitor.
 */
final class OutboundSipLeg implements OutboundLeg, SipDialogLeg, TlsPeer {
  private static final Logger log = LoggerFactory.getLogger(OutboundSipLeg.class);
  private static final int SESSION_INTERVAL_TOO_SMALL = 422;

  private final OutboundInvite invite;
  private final SipLegListener listener;
  private final SipProvider provider;
  private final Providers providers;
  private final SipMessages messages;
  private final SessionTimers timers;
  private boolean intervalRaised;
  private EstablishedDialog established;
  private long lastRseq = -1;
  private ClientTransaction transaction;
  private Dialog dialog;
  private boolean provisionalSeen;
  private boolean cancelPending;
  private boolean challenged;
  private boolean finalSeen;
  private boolean answered;
  private boolean byeSent;

  OutboundSipLeg(
      OutboundInvite invite,
      SipLegListener listener,
      SipProvider provider,
      Providers providers,
      SipMessages messages,
      SessionTimers timers) {
    this.messages = messages;
    this.timers = timers;
    this.invite = invite;
    this.listener = listener;
    this.provider = provider;
    this.providers = providers;
  }

  /** A configured destination's certificate must name its host; a registered phone's is not. */
  @Override
  public Optional<String> tlsHost() {
    return Binding.isRegisteredPhone(invite.destination())
        ? Optional.empty()
        : Optional.of(invite.destination().host());
  }

  synchronized void start(Request request) throws Exception {
    send(provider.getNewClientTransaction(request));
  }

  private void send(ClientTransaction next) throws Exception {
    transaction = next;
    transaction.setApplicationData(this);
    dialog = provider.getNewDialog(transaction);
    dialog.setApplicationData(this);
    transaction.sendRequest();
  }

  /** A response to our INVITE. */
  synchronized void onResponse(Response response, ClientTransaction from) {
    int status = response.getStatusCode();
    if (status < 200) {
      if (status == 100) {
        return;
      }
      provisionalSeen = true;
      boolean reliable = isReliable(response);
      if (reliable && !prack(response, from)) {
        return; // a retransmission of one already acknowledged
      }
      if (cancelPending) {
        sendCancel();
        return;
      }
      listener.on(
          new SipLegEvent.Provisional(status, response.getReasonPhrase(), SipBodies.sdp(response)));
      return;
    }
    if (status < 300) {
      ack(response, from);
      if (answered) {
        return; // a retransmitted 2xx, ACKed again
      }
      answered = true;
      finalSeen = true;
      Dialog answeredIn = from != null && from.getDialog() != null ? from.getDialog() : dialog;
      ContactHeader contact =
          (ContactHeader) transaction.getRequest().getHeader(ContactHeader.NAME);
      established =
          new EstablishedDialog(
              answeredIn, provider, providers, messages, contact, () -> listener, this::live);
      Optional<String> sdp = SipBodies.sdp(response);
      if (cancelPending || sdp.isEmpty()) {
        // Our CANCEL lost the race, or a 2xx without the answer we need: end the dialog.
        if (sdp.isEmpty()) {
          log.warn("2xx without SDP: ending the call");
          listener.on(new SipLegEvent.Failed(488, "Answer without SDP"));
        }
        sendBye();
        return;
      }
      established.established(invite.sdp(), sdp.get());
      listener.on(new SipLegEvent.Answered(sdp.get()));
      Dialog timed = answeredIn;
      timers
          .fromAnswer(response)
          .ifPresent(
              agreed ->
                  established.time(
                      new SessionTimer(
                          timed,
                          provider,
                          providers,
                          messages,
                          agreed,
                          SessionTimers.allows(response, Request.UPDATE),
                          established,
                          this::live,
                          this::sessionExpired)));
      return;
    }
    if (status == SESSION_INTERVAL_TOO_SMALL && !intervalRaised && !cancelPending) {
      // RFC 4028 §7.4: the INVITE again, asking for at least the peer's Min-SE
      intervalRaised = true;
      try {
        Request again = (Request) from.getRequest().clone();
        if (timers.retryAfterTooSmall(again, response, messages)) {
          CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
          cseq.setSeqNumber(cseq.getSeqNumber() + 1);
          ((javax.sip.header.ViaHeader) again.getHeader(javax.sip.header.ViaHeader.NAME))
              .setBranch(gov.nist.javax.sip.Utils.getInstance().generateBranchId());
          send(provider.getNewClientTransaction(again));
          log.info("422: INVITE again with the peer's Min-SE");
          return;
        }
      } catch (Exception e) {
        log.warn("cannot resend the INVITE after 422: {}", e.toString());
      }
    }
    if ((status == 401 || status == 407) && !challenged && !cancelPending) {
      Optional<dev.tandem.core.sip.Destination.DigestCredentials> credentials =
          invite.destination().credentials();
      if (credentials.isPresent()) {
        challenged = true;
        try {
          send(providers.digest().answer(response, from, provider, credentials.get()));
          log.info(
              "{} challenge answered with the credentials of {}",
              status,
              invite.destination().name());
          return;
        } catch (Exception e) {
          log.warn("cannot answer the {} challenge: {}", status, e.toString());
        }
      }
    }
    if (finalSeen) {
      return;
    }
    finalSeen = true;
    listener.on(new SipLegEvent.Failed(status, response.getReasonPhrase()));
  }

  /** The session timer ran out: BYE, then core is told. */
  private void sessionExpired() {
    synchronized (this) {
      sendBye();
    }
    listener.on(new SipLegEvent.SessionExpired());
  }

  private void ack(Response response, ClientTransaction from) {
    try {
      Dialog d = from != null && from.getDialog() != null ? from.getDialog() : dialog;
      long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
      d.sendAck(d.createAck(cseq));
    } catch (Exception e) {
      log.warn("cannot ACK the 2xx: {}", e.toString());
    }
  }

  /** A reliable provisional response (RFC 3262 §4): {@code Require: 100rel} and an RSeq. */
  private static boolean isReliable(Response response) {
    java.util.ListIterator<?> require = response.getHeaders(RequireHeader.NAME);
    while (require != null && require.hasNext()) {
      if ("100rel".equalsIgnoreCase(((RequireHeader) require.next()).getOptionTag())) {
        return response.getHeader(RSeqHeader.NAME) != null;
      }
    }
    return false;
  }

  /**
   * Acknowledges a reliable provisional response with PRACK (RFC 3262 §7.2), once per RSeq; false
   * for a retransmission of one already acknowledged.
   */
  private boolean prack(Response response, ClientTransaction from) {
    long rseq = ((RSeqHeader) response.getHeader(RSeqHeader.NAME)).getSequenceNumber();
    if (rseq <= lastRseq) {
      return false;
    }
    lastRseq = rseq;
    try {
      Dialog early = from != null && from.getDialog() != null ? from.getDialog() : dialog;
      Request prack = early.createPrack(response);
      early.sendRequest(provider.getNewClientTransaction(prack));
      log.info("PRACK sent for {} (RSeq {})", response.getStatusCode(), rseq);
    } catch (Exception e) {
      log.warn("cannot send PRACK: {}", e.toString());
    }
    return true;
  }

  /** The INVITE transaction timed out (no final response, RFC 3261 Timer B). */
  synchronized void onTimeout() {
    if (!finalSeen) {
      finalSeen = true;
      listener.on(new SipLegEvent.Failed(408, "Request Timeout"));
    }
  }

  @Override
  public void onBye(Request bye) {
    synchronized (this) {
      byeSent = true; // the dialog is over; no BYE of ours
    }
    listener.on(new SipLegEvent.Bye(SipBodies.reason(bye)));
  }

  private synchronized boolean live() {
    return answered && !byeSent;
  }

  /** The established dialog's requests; empty until the 2xx. */
  private synchronized Optional<EstablishedDialog> established() {
    return Optional.ofNullable(established);
  }

  @Override
  public void reinvite(String sdp) {
    established().ifPresent(d -> d.reinvite(sdp));
  }

  @Override
  public void acceptReinvite(String sdp) {
    established().ifPresent(d -> d.acceptReinvite(sdp));
  }

  @Override
  public void rejectReinvite(int status, String reason) {
    established().ifPresent(d -> d.rejectReinvite(status, reason));
  }

  @Override
  public void onReinvite(Request request, javax.sip.ServerTransaction transaction)
      throws Exception {
    Optional<EstablishedDialog> d = established();
    if (d.isPresent()) {
      d.get().receive(request, transaction);
    } else {
      transaction.sendResponse(messages.response(request, Response.REQUEST_PENDING));
    }
  }

  @Override
  public void refer(String referTo) {
    established().ifPresent(d -> d.refer(referTo));
  }

  @Override
  public Optional<String> replacingUri() {
    return live() ? established().flatMap(EstablishedDialog::replacingUri) : Optional.empty();
  }

  @Override
  public void notifyRefer(int status, String reason) {
    established().ifPresent(d -> d.notifyRefer(status, reason));
  }

  @Override
  public void onNotify(Request notify, javax.sip.ServerTransaction transaction) throws Exception {
    Optional<EstablishedDialog> d = established();
    if (d.isPresent()) {
      d.get().onNotify(notify, transaction);
    } else {
      transaction.sendResponse(messages.response(notify, Response.OK));
    }
  }

  @Override
  public void onRefer(Request refer, javax.sip.ServerTransaction transaction) throws Exception {
    Optional<EstablishedDialog> d = established();
    if (d.isPresent()) {
      d.get().onRefer(refer, transaction);
    } else {
      transaction.sendResponse(messages.response(refer, Response.REQUEST_PENDING));
    }
  }

  @Override
  public void onDtmf(DtmfInfo.Digit digit) {
    established().ifPresent(d -> d.onDtmf(digit));
  }

  @Override
  public void dtmf(String digits, java.time.Duration toneDuration) {
    established().ifPresent(d -> d.dtmf(digits, toneDuration));
  }

  @Override
  public void cancel() {
    providers.send(
        () -> {
          synchronized (this) {
            if (finalSeen) {
              if (answered) {
                sendBye();
              }
              return;
            }
            cancelPending = true;
            if (provisionalSeen) {
              sendCancel();
            }
            // else: RFC 3261 §9.1, a CANCEL waits for a provisional response.
          }
        });
  }

  private void sendCancel() {
    try {
      Request cancel = transaction.createCancel();
      provider.getNewClientTransaction(cancel).sendRequest();
      log.info("CANCEL sent");
    } catch (Exception e) {
      log.warn("cannot send CANCEL: {}", e.toString());
    }
  }

  @Override
  public void bye() {
    providers.send(
        () -> {
          synchronized (this) {
            if (answered) {
              sendBye();
            } else if (!finalSeen) {
              cancelPending = true;
              if (provisionalSeen) {
                sendCancel();
              }
            }
          }
        });
  }

  private void sendBye() {
    if (byeSent) {
      return;
    }
    byeSent = true;
    SipBodies.sendBye(dialog, provider);
  }
}

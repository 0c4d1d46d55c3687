package dev.tandem.sip.call;

import dev.tandem.core.registrar.Binding;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.vocabulary.LoggingKeys;
import dev.tandem.sip.call.OutboundLegTable.Action;
import dev.tandem.sip.call.OutboundLegTable.Input;
import dev.tandem.sip.call.OutboundLegTable.Phase;
import dev.tandem.sip.call.OutboundLegTable.Step;
import dev.tandem.sip.stack.Flow;
import dev.tandem.sip.stack.TlsPeer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.RSeqHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP leg of a browser's call: our INVITE's client transactions and its dialog, driven by
 * {@link OutboundLegTable}. Its state is touched only on the call's owner ({@link LegContext}):
 * core's commands hop there, JAIN-SIP's responses and in-dialog requests are brought there by
 * {@link SipCalls}, and every send leaves for the sending thread.
 */
final class OutboundSipLeg implements OutboundLeg, SipDialogLeg, TlsPeer {
  private static final Logger log = LoggerFactory.getLogger(OutboundSipLeg.class);
  private static final int SESSION_INTERVAL_TOO_SMALL = 422;

  /**
   * Sends the INVITE on the sending thread: opens its client transaction, hands it to {@code
   * opened} before sending it (so the owner learns it before any response), then sends it.
   */
  @FunctionalInterface
  interface Sending {
    void send(Opened opened) throws Exception;
  }

  /** A transaction about to be sent. */
  @FunctionalInterface
  interface Opened {
    void opened(ClientTransaction transaction) throws Exception;
  }

  private final OutboundInvite invite;
  private final SipLegListener listener;
  private final LegContext context;

  /** The call's ids for the logging context of its tasks: the SIP Call-ID joins once sent. */
  private final Map<String, String> logging;

  private Phase phase = Phase.SENDING;
  private boolean intervalRaised;
  private boolean challenged;
  private long lastRseq = -1;
  private ClientTransaction transaction;
  private Dialog dialog;
  private SipProvider provider;
  private EstablishedDialog established;

  OutboundSipLeg(OutboundInvite invite, SipLegListener listener, LegContext context) {
    this.invite = invite;
    this.listener = listener;
    this.context = context;
    this.logging = new HashMap<>(Map.of(LoggingKeys.CALL_ID, invite.callId().value()));
  }

  /**
   * A registered phone is reached where it registered from (core's {@code Binding}), and so is
   * every request in its dialog: its Contact may be a private address behind NAT.
   */
  @Override
  public Optional<Flow> flow() {
    return Binding.isRegisteredPhone(invite.destination())
        ? Optional.of(Flow.to(invite.destination()))
        : Optional.empty();
  }

  /** A configured destination's certificate must name its host; a registered phone's is not. */
  @Override
  public Optional<String> tlsHost() {
    return Binding.isRegisteredPhone(invite.destination())
        ? Optional.empty()
        : Optional.of(invite.destination().host());
  }

  /** Sends the INVITE that {@code sending} opens; on the owner. */
  void start(Sending sending) {
    send(sending);
  }

  private void send(Sending sending) {
    context.io(
        () -> {
          try {
            sending.send(this::opened);
          } catch (Exception e) {
            log.warn("cannot send INVITE to {}: {}", invite.requestUri(), e.toString());
            fail(SipReasons.SERVER_INTERNAL_ERROR.because("cannot send INVITE: " + e.getMessage()));
          }
        });
  }

  /** On the sending thread: the transaction (and its dialog) is known to the owner first. */
  private void opened(ClientTransaction next) throws Exception {
    SipProvider via = providerOf(next);
    next.setApplicationData(this);
    Dialog opened = via.getNewDialog(next);
    opened.setApplicationData(this);
    onOwner(() -> sent(next, opened, via));
  }

  /** The INVITE could not be sent at all: core hears {@code status} (from any thread). */
  void fail(SipReasons.Status status) {
    onOwner(
        () -> {
          if (step(Input.SEND_FAILED, null, null).actions().contains(Action.REPORT)) {
            listener.on(new SipLegEvent.Failed(status));
          }
        });
  }

  private void onOwner(Runnable work) {
    context.onOwner(logging, work);
  }

  private void sent(ClientTransaction sentOn, Dialog itsDialog, SipProvider via) {
    transaction = sentOn;
    dialog = itsDialog;
    provider = via;
    logging.put(LoggingKeys.SIP_CALL_ID, itsDialog.getCallId().getCallId());
    step(Input.SENT, null, null);
  }

  /** A response to our INVITE, on the owner. */
  void onResponse(Response response, ClientTransaction from) {
    LegContext.enter(logging);
    int status = response.getStatusCode();
    if (status == Response.TRYING) {
      return;
    }
    if (status < 200) {
      if (isReliable(response) && !prack(response, from)) {
        return; // a retransmission of one already acknowledged
      }
      if (step(Input.PROVISIONAL, response, from).actions().contains(Action.REPORT)) {
        listener.on(
            new SipLegEvent.Provisional(
                status, response.getReasonPhrase(), SipBodies.sdp(response)));
      }
      return;
    }
    if (status < 300) {
      Optional<String> sdp = SipBodies.sdp(response);
      Step step =
          step(sdp.isPresent() ? Input.ANSWERED : Input.ANSWERED_WITHOUT_SDP, response, from);
      if (!step.actions().contains(Action.REPORT)) {
        return;
      }
      if (sdp.isEmpty()) {
        log.warn("2xx without SDP: ending the call");
        listener.on(
            new SipLegEvent.Failed(SipReasons.NOT_ACCEPTABLE_HERE.because("Answer without SDP")));
        return;
      }
      established.established(invite.sdp(), sdp.get());
      listener.on(new SipLegEvent.Answered(sdp.get()));
      context
          .sessionTimers()
          .fromAnswer(response)
          .ifPresent(
              agreed ->
                  established.time(
                      new SessionTimer(
                          established,
                          context,
                          agreed,
                          SessionTimers.allows(response, Request.UPDATE),
                          this::live,
                          this::sessionExpired)));
      return;
    }
    if (retried(response, from)) {
      return;
    }
    if (step(Input.REJECTED, response, from).actions().contains(Action.REPORT)) {
      listener.on(new SipLegEvent.Failed(status, response.getReasonPhrase()));
    }
  }

  /** A 422 or a challenge answered with the INVITE again (RFC 4028 §7.4, RFC 3261 §22.2). */
  private boolean retried(Response response, ClientTransaction from) {
    if (phase != Phase.CALLING && phase != Phase.PROCEEDING || from == null) {
      return false;
    }
    int status = response.getStatusCode();
    if (status == SESSION_INTERVAL_TOO_SMALL && !intervalRaised) {
      intervalRaised = true;
      Request again = (Request) from.getRequest().clone();
      try {
        if (!context.sessionTimers().retryAfterTooSmall(again, response, context.messages())) {
          return false;
        }
        CSeqHeader cseq = (CSeqHeader) again.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ((ViaHeader) again.getHeader(ViaHeader.NAME))
            .setBranch(gov.nist.javax.sip.Utils.getInstance().generateBranchId());
      } catch (Exception e) {
        log.warn("cannot resend the INVITE after 422: {}", e.toString());
        return false;
      }
      step(Input.RETRY, response, from);
      SipProvider via = provider;
      send(opened -> sendOpened(opened, via.getNewClientTransaction(again)));
      log.info("422: INVITE again with the peer's Min-SE");
      return true;
    }
    Optional<Destination.DigestCredentials> credentials = invite.destination().credentials();
    if ((status == 401 || status == 407) && !challenged && credentials.isPresent()) {
      challenged = true;
      step(Input.RETRY, response, from);
      SipProvider via = provider;
      send(
          opened ->
              sendOpened(
                  opened,
                  context.providers().digest().answer(response, from, via, credentials.get())));
      log.info(
          "{} challenge answered with the credentials of {}", status, invite.destination().name());
      return true;
    }
    return false;
  }

  private static void sendOpened(Opened opened, ClientTransaction transaction) throws Exception {
    opened.opened(transaction);
    transaction.sendRequest();
  }

  /** Moves to the table's next phase and carries out its SIP actions; the step for the caller. */
  private Step step(Input input, Response response, ClientTransaction from) {
    Phase before = phase;
    Step step = OutboundLegTable.next(phase, input);
    phase = step.next();
    if (!LegContext.logStep(log, before, input, phase, step.actions().contains(Action.IGNORE))) {
      return step;
    }
    for (Action action : step.actions()) {
      switch (action) {
        case ACK -> ack(response, from);
        case SEND_CANCEL -> sendCancel();
        case SEND_BYE -> sendBye();
        default -> {}
      }
    }
    return step;
  }

  /** ACKs a 2xx (RFC 3261 §13.2.2.4); the first one also establishes the dialog. */
  private void ack(Response response, ClientTransaction from) {
    Dialog answeredIn = from != null && from.getDialog() != null ? from.getDialog() : dialog;
    if (answeredIn == null) {
      log.warn("a 2xx outside any dialog of ours: not ACKed");
      return;
    }
    if (established == null) {
      dialog = answeredIn;
      ContactHeader contact =
          (ContactHeader) transaction.getRequest().getHeader(ContactHeader.NAME);
      established =
          new EstablishedDialog(
              answeredIn, provider, context, contact, () -> listener, this::live, logging);
    }
    long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
    context.io(() -> answeredIn.sendAck(answeredIn.createAck(cseq)));
  }

  /** The session timer ran out: BYE, then core is told. */
  private void sessionExpired() {
    if (step(Input.EXPIRED, null, null).actions().contains(Action.REPORT)) {
      listener.on(new SipLegEvent.SessionExpired());
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
    Dialog early = from != null && from.getDialog() != null ? from.getDialog() : dialog;
    SipProvider via = provider;
    context.io(
        () -> {
          early.sendRequest(via.getNewClientTransaction(early.createPrack(response)));
          log.info("PRACK sent for {} (RSeq {})", response.getStatusCode(), rseq);
        });
    return true;
  }

  /** The INVITE transaction timed out (no final response, RFC 3261 Timer B); on the owner. */
  void onTimeout() {
    LegContext.enter(logging);
    if (step(Input.TIMEOUT, null, null).actions().contains(Action.REPORT)) {
      listener.on(new SipLegEvent.Failed(SipReasons.REQUEST_TIMEOUT));
    }
  }

  @Override
  public void onBye(Request bye) {
    if (established != null) {
      established.terminatePending();
    }
    if (step(Input.PEER_BYE, null, null).actions().contains(Action.REPORT)) {
      listener.on(new SipLegEvent.Bye(SipBodies.reason(bye)));
    }
  }

  @Override
  public Map<String, String> logging() {
    return logging;
  }

  private boolean live() {
    return phase == Phase.CONFIRMED;
  }

  /** Runs a command of core's on the owner, against the established dialog (none before 2xx). */
  private void inDialog(java.util.function.Consumer<EstablishedDialog> command) {
    onOwner(
        () -> {
          if (established != null) {
            command.accept(established);
          }
        });
  }

  @Override
  public void reinvite(String sdp) {
    inDialog(d -> d.reinvite(sdp));
  }

  @Override
  public void acceptReinvite(String sdp) {
    inDialog(d -> d.acceptReinvite(sdp));
  }

  @Override
  public void rejectReinvite(int status, String reason) {
    inDialog(d -> d.rejectReinvite(status, reason));
  }

  @Override
  public void refer(String referTo) {
    inDialog(d -> d.refer(referTo));
  }

  @Override
  public void notifyRefer(int status, String reason) {
    inDialog(d -> d.notifyRefer(status, reason));
  }

  @Override
  public void dtmf(String digits, Duration toneDuration) {
    inDialog(d -> d.dtmf(digits, toneDuration));
  }

  @Override
  public void requestKeyframe() {
    inDialog(EstablishedDialog::requestKeyframe);
  }

  @Override
  public Optional<String> replacingUri() {
    EstablishedDialog d = established;
    return live() && d != null ? d.replacingUri() : Optional.empty();
  }

  @Override
  public void onReinvite(Request request, ServerTransaction transaction) {
    if (established != null && live()) {
      established.receive(request, transaction);
    } else {
      respond(transaction, request, Response.REQUEST_PENDING);
    }
  }

  @Override
  public void onAck(Request ack) {
    if (established != null) {
      established.onAck(ack);
    }
  }

  @Override
  public void onNotify(Request notify, ServerTransaction transaction) {
    if (established != null) {
      established.onNotify(notify, transaction);
    } else {
      respond(transaction, notify, Response.OK);
    }
  }

  @Override
  public void onRefer(Request refer, ServerTransaction transaction) {
    if (established != null && live()) {
      established.onRefer(refer, transaction);
    } else {
      respond(transaction, refer, Response.REQUEST_PENDING);
    }
  }

  @Override
  public void onDtmf(DtmfInfo.Digit digit) {
    if (established != null) {
      established.onDtmf(digit);
    }
  }

  @Override
  public void onKeyframeWanted() {
    if (established != null) {
      established.onKeyframeWanted();
    }
  }

  private void respond(ServerTransaction transaction, Request request, int status) {
    Response response = context.messages().response(request, status);
    context.io(() -> transaction.sendResponse(response));
  }

  @Override
  public void cancel() {
    onOwner(() -> step(Input.CANCEL, null, null));
  }

  @Override
  public void bye() {
    onOwner(() -> step(Input.BYE, null, null));
  }

  private void sendCancel() {
    ClientTransaction cancelled = transaction;
    SipProvider via = provider;
    context.io(
        () -> {
          via.getNewClientTransaction(cancelled.createCancel()).sendRequest();
          log.info("CANCEL sent");
        });
  }

  private void sendBye() {
    if (established != null) {
      established.terminatePending();
    }
    SipBodies.sendBye(
        dialog,
        provider,
        context,
        (ContactHeader) transaction.getRequest().getHeader(ContactHeader.NAME));
  }

  private static SipProvider providerOf(ClientTransaction transaction) {
    return ((gov.nist.javax.sip.stack.SIPTransaction) transaction).getSipProvider();
  }
}

package dev.tandem.sip.call;

import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.vocabulary.LoggingKeys;
import dev.tandem.sip.call.InboundLegTable.Action;
import dev.tandem.sip.call.InboundLegTable.Input;
import dev.tandem.sip.call.InboundLegTable.Phase;
import dev.tandem.sip.call.InboundLegTable.Step;
import dev.tandem.sip.stack.Flow;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
 * An INVITE a SIP peer sent to a browser user: its server transaction and dialog, driven by {@link
 * InboundLegTable}. Its state is touched only on the call's owner ({@link LegContext}): core's
 * commands hop there, CANCEL, BYE and in-dialog requests are brought there by {@link SipCalls}, and
 * every response leaves for the sending thread. Every response carries the same To tag.
 */
final class InboundSipLeg implements InboundLeg, SipDialogLeg {
  private static final Logger log = LoggerFactory.getLogger(InboundSipLeg.class);

  private final ServerTransaction transaction;
  private final Dialog dialog;
  private final SipProvider provider;
  private final LegContext context;
  private final ContactHeader contact;
  private final Optional<Flow> flow;
  private final String toTag = dev.tandem.sip.stack.SipMessages.newTag();

  /** Why the call is refused, for the final response's Warning, when core said; owner only. */
  private String warning;

  /** A {@code Retry-After} for the final response, when the peer may try again later. */
  private Optional<Duration> retryAfter = Optional.empty();

  private final EstablishedDialog established;
  private final Map<String, String> logging = new HashMap<>();
  private SipLegListener listener = event -> {};
  private Phase phase = Phase.PROCEEDING;

  /** Our offer in the 200 to an INVITE without SDP, until its ACK answers it. */
  private String offered;

  InboundSipLeg(
      ServerTransaction transaction,
      Dialog dialog,
      SipProvider provider,
      LegContext context,
      ContactHeader contact,
      Optional<Flow> flow) {
    this.transaction = transaction;
    this.flow = flow;
    this.dialog = dialog;
    this.provider = provider;
    this.context = context;
    this.contact = contact;
    this.logging.put(LoggingKeys.SIP_CALL_ID, dialog.getCallId().getCallId());
    this.established =
        new EstablishedDialog(
            dialog, provider, context, contact, () -> this.listener, this::live, logging);
    dialog.setApplicationData(this);
  }

  /**
   * Where requests in this dialog go when the caller is behind NAT (where its INVITE came from).
   */
  @Override
  public Optional<Flow> flow() {
    return flow;
  }

  /** Where the leg's events go from now on; called on the owner, before any other event. */
  void listen(SipLegListener listener) {
    this.listener = listener;
    listener.callId().ifPresent(id -> logging.put(LoggingKeys.CALL_ID, id.value()));
  }

  private Request request() {
    return transaction.getRequest();
  }

  /** 100 Trying, at once (RFC 3261 §8.2.6.1). */
  void trying() {
    respond(context.messages().response(request(), Response.TRYING));
  }

  @Override
  public void ringing() {
    onOwner(() -> step(Input.RING, null, 0, null));
  }

  @Override
  public void answer(String sdp) {
    onOwner(() -> step(Input.ANSWER, sdp, 0, null));
  }

  @Override
  public void offer(String sdp) {
    onOwner(() -> step(Input.OFFER, sdp, 0, null));
  }

  @Override
  public void reject(int status, String reason) {
    onOwner(() -> step(Input.REJECT, null, status, reason));
  }

  @Override
  public void reject(SipReasons.Status status, String why) {
    onOwner(
        () -> {
          warning = why;
          step(Input.REJECT, null, status.code(), status.phrase());
        });
  }

  @Override
  public void reject(SipReasons.Status status, String why, Optional<Duration> retryAfter) {
    onOwner(
        () -> {
          warning = why;
          this.retryAfter = retryAfter;
          step(Input.REJECT, null, status.code(), status.phrase());
        });
  }

  @Override
  public void bye() {
    onOwner(() -> step(Input.BYE, null, 0, null));
  }

  private void onOwner(Runnable work) {
    context.onOwner(logging, work);
  }

  /** Moves to the table's next phase and carries out its SIP actions; the step for the caller. */
  private Step step(Input input, String sdp, int status, String reason) {
    Phase before = phase;
    Step step = InboundLegTable.next(phase, input);
    phase = step.next();
    if (!LegContext.logStep(log, before, input, phase, step.actions().contains(Action.IGNORE))) {
      return step;
    }
    for (Action action : step.actions()) {
      switch (action) {
        case SEND_RINGING -> {
          Response ringing = context.messages().response(request(), Response.RINGING, toTag);
          ringing.setHeader(contact);
          respond(ringing);
        }
        case SEND_OK -> sendOk(sdp);
        case SEND_FINAL -> respond(finalResponse(status, reason));
        case SEND_TERMINATED ->
            respond(context.messages().response(request(), Response.REQUEST_TERMINATED, toTag));
        case SEND_BYE -> established.bye();
        default -> {}
      }
    }
    return step;
  }

  private void sendOk(String sdp) {
    try {
      Response ok = context.messages().response(request(), Response.OK, toTag);
      ok.setHeader(contact);
      ok.setContent(
          sdp,
          (ContentTypeHeader)
              context.messages().headers().createContentTypeHeader("application", "sdp"));
      Optional<SessionTimers.Agreed> agreed =
          context.sessionTimers().answer(request(), ok, context.messages());
      respond(ok);
      if (phase == Phase.OFFERED) {
        offered = sdp; // a late offer: the dialog is established by the ACK's answer
      }
      SipBodies.sdp(request()).ifPresent(offer -> established.established(sdp, offer));
      agreed.ifPresent(
          a ->
              established.time(
                  new SessionTimer(
                      established,
                      context,
                      a,
                      SessionTimers.allows(request(), Request.UPDATE),
                      this::live,
                      this::sessionExpired)));
    } catch (Exception e) {
      log.warn("cannot send 200 OK: {}", e.toString());
    }
  }

  private Response finalResponse(int status, String reason) {
    Response response = context.messages().response(request(), status, toTag);
    try {
      response.setReasonPhrase(reason);
    } catch (java.text.ParseException e) {
      log.debug("keeping the standard reason phrase: {}", e.getMessage());
    }
    if (retryAfter.isPresent()) {
      try {
        // RFC 3261 §20.33: when the peer may try again (a 503 while the bridge drains)
        response.setHeader(
            context
                .messages()
                .headers()
                .createRetryAfterHeader((int) Math.max(1, retryAfter.get().toSeconds())));
      } catch (javax.sip.InvalidArgumentException e) {
        log.debug("no Retry-After: {}", e.getMessage());
      }
    }
    if (warning != null) {
      try {
        context.messages().warn(response, warning);
      } catch (IllegalArgumentException e) {
        log.debug("no Warning for {}: {}", warning, e.getMessage());
      }
    }
    return response;
  }

  /** The session timer ran out: BYE, then core is told. */
  private void sessionExpired() {
    report(Input.EXPIRED, new SipLegEvent.SessionExpired());
  }

  /**
   * The caller cancelled: 487 for the INVITE (the CANCEL itself is answered already); {@code
   * answeredElsewhere} when its Reason says the call was completed elsewhere (RFC 3326, cause=200).
   */
  void onCancel(boolean answeredElsewhere) {
    report(Input.PEER_CANCEL, new SipLegEvent.Cancelled(answeredElsewhere));
  }

  @Override
  public void onBye(Request bye) {
    established.terminatePending();
    report(Input.PEER_BYE, new SipLegEvent.Bye(SipBodies.reason(bye)));
  }

  /**
   * The peer's ACK for a 200 of ours: for a late offer it carries the answer (RFC 3264 §5), which
   * goes to core, or none, which core ends the call for; else it may answer an offer of ours in a
   * 200 to a re-INVITE without SDP.
   */
  @Override
  public void onAck(Request ack) {
    if (phase != Phase.OFFERED) {
      established.onAck(ack);
      return;
    }
    Optional<String> answer = SipBodies.sdp(ack);
    answer.ifPresent(sdp -> established.established(offered, sdp));
    log.info("ACK {} the answer to our offer", answer.isPresent() ? "with" : "WITHOUT");
    report(Input.ACK, new SipLegEvent.AnswerInAck(answer));
  }

  /** Our 200 was never ACKed (RFC 3261 §13.3.1.4). */
  void onAckTimeout() {
    report(Input.ACK_TIMEOUT, new SipLegEvent.AckTimeout());
  }

  private void report(Input input, SipLegEvent event) {
    LegContext.enter(logging);
    if (step(input, null, 0, null).actions().contains(Action.REPORT)) {
      listener.on(event);
    }
  }

  @Override
  public Map<String, String> logging() {
    return logging;
  }

  private boolean live() {
    return phase == Phase.CONFIRMED;
  }

  private void inDialog(Consumer<EstablishedDialog> command) {
    onOwner(() -> command.accept(established));
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
  public void dtmf(String digits, Duration toneDuration) {
    inDialog(d -> d.dtmf(digits, toneDuration));
  }

  @Override
  public void requestKeyframe() {
    inDialog(EstablishedDialog::requestKeyframe);
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
  public Optional<String> replacingUri() {
    return live() ? established.replacingUri() : Optional.empty();
  }

  @Override
  public void onReinvite(Request request, ServerTransaction transaction) {
    established.receive(request, transaction);
  }

  @Override
  public void onDtmf(DtmfInfo.Digit digit) {
    established.onDtmf(digit);
  }

  @Override
  public void onKeyframeWanted() {
    established.onKeyframeWanted();
  }

  @Override
  public void onNotify(Request notify, ServerTransaction transaction) {
    established.onNotify(notify, transaction);
  }

  @Override
  public void onRefer(Request refer, ServerTransaction transaction) {
    established.onRefer(refer, transaction);
  }

  private void respond(Response response) {
    context.io(() -> transaction.sendResponse(response));
  }
}

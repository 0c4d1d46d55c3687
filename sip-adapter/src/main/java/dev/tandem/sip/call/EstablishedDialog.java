package dev.tandem.sip.call;

import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.sip.stack.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What either leg does in its dialog once it is established, whichever side placed the call: DTMF
 * in INFO (sent paced, received as events) and re-INVITEs both ways (RFC 3261 §14): ours carry
 * core's new offer and their 2xx is ACKed here; the peer's are answered 100 at once and then with
 * core's answer or error. At most one re-INVITE each way is pending. Everything here runs on the
 * call's owner ({@link LegContext}): sends leave for the sending thread, and core's commands do
 * nothing once the leg says the dialog is over.
 */
final class EstablishedDialog {
  private static final Logger log = LoggerFactory.getLogger(EstablishedDialog.class);

  private final Dialog dialog;
  private final SipProvider provider;
  private final LegContext context;
  private final SipMessages messages;
  private final ContactHeader contact;
  private final Supplier<SipLegListener> listener;
  private final BooleanSupplier live;
  private final Map<String, String> logging;

  /** Our pending re-INVITE (its request: the transaction is made on the sending thread). */
  private Request ours;

  private ServerTransaction theirs;

  /** The CSeq of the peer's re-INVITE without SDP whose 200 carries our offer; -1: none. */
  private long offeredInOk = -1;

  private String theirsOffer;
  private String oursOffer;

  /** The SDP this side last sent and the peer's last, for refreshes and unchanged re-offers. */
  private String localSdp;

  private String remoteSdp;
  private SessionTimer timer;

  /**
   * @param contact this side's Contact, for re-INVITEs and their 200s
   * @param live whether the dialog still stands (no BYE either way)
   * @param logging the call's ids for the logging context of work that hops back to the owner
   */
  EstablishedDialog(
      Dialog dialog,
      SipProvider provider,
      LegContext context,
      ContactHeader contact,
      Supplier<SipLegListener> listener,
      BooleanSupplier live,
      Map<String, String> logging) {
    this.dialog = dialog;
    this.provider = provider;
    this.context = context;
    this.messages = context.messages();
    this.contact = contact;
    this.listener = listener;
    this.live = live;
    this.logging = logging;
  }

  Dialog dialog() {
    return dialog;
  }

  SipProvider provider() {
    return provider;
  }

  LegContext context() {
    return context;
  }

  Map<String, String> logging() {
    return logging;
  }

  /** A request in this dialog from this side's address (Via, and Contact where it belongs). */
  Request request(String method) throws Exception {
    return SipBodies.inDialog(dialog, method, contact);
  }

  /** Ends the dialog with a BYE, after answering a re-offer of the peer's still pending. */
  void bye() {
    terminatePending();
    SipBodies.sendBye(dialog, provider, context, contact);
  }

  /**
   * The dialog ends (our BYE or the peer's): a re-INVITE or UPDATE of the peer's that still waits
   * for core's answer gets 487 Request Terminated (RFC 3261 §15.1.2), so no transaction of the
   * peer's is left without a final response.
   */
  void terminatePending() {
    if (theirs != null) {
      log.info("the call ends while the peer's re-offer waits for an answer: 487");
      rejectReinvite(Response.REQUEST_TERMINATED, "Request Terminated");
    }
  }

  /** The offer/answer the dialog was established with. */
  void established(String local, String remote) {
    localSdp = local;
    remoteSdp = remote;
  }

  /** Runs the dialog's session timer (RFC 4028) from now on; on the owner. */
  void time(SessionTimer sessionTimer) {
    timer = sessionTimer;
    sessionTimer.start();
  }

  private void refreshed() {
    if (timer != null) {
      timer.refreshed();
    }
  }

  /** A re-INVITE that only refreshes the session: our current SDP, unchanged (RFC 3264 §8). */
  Request refreshInvite() throws Exception {
    Request invite = request(Request.INVITE);
    invite.setContent(localSdp.getBytes(StandardCharsets.UTF_8), sdpType());
    return invite;
  }

  // --- transfer (RFC 3515 REFER, RFC 3891 Replaces) -------------------------------------------

  /** Core's REFER; refusals and the NOTIFYs' sipfrag come back as TransferProgress. */
  void refer(String referTo) {
    if (!live.getAsBoolean()) {
      return;
    }
    Request refer;
    try {
      refer = request(Request.REFER);
      refer.setHeader(
          messages
              .headers()
              .createReferToHeader(messages.addresses().createAddress("<" + referTo + ">")));
      refer.setHeader(
          messages.headers().createHeader("Referred-By", contact.getAddress().toString()));
    } catch (Exception e) {
      log.warn("cannot send REFER: {}", e.toString());
      referFailed();
      return;
    }
    RefusalOutcome outcome = new RefusalOutcome("REFER", SipLegEvent.TransferProgress::new);
    sendInDialog(
        refer,
        outcome,
        () -> log.info("REFER to {} sent", referTo),
        () -> onOwner(this::referFailed));
  }

  private void referFailed() {
    listener
        .get()
        .on(
            new SipLegEvent.TransferProgress(
                SipReasons.SERVER_INTERNAL_ERROR.code(), "cannot send REFER"));
  }

  /**
   * Sends a request in this dialog on the sending thread: {@code sent} after it went, {@code
   * failed} (there) when it could not be sent.
   */
  private void sendInDialog(Request request, Object owner, Runnable sent, Runnable failed) {
    context.io(
        () -> {
          try {
            ClientTransaction transaction = provider.getNewClientTransaction(request);
            transaction.setApplicationData(owner);
            dialog.sendRequest(transaction);
            sent.run();
          } catch (Exception e) {
            log.warn("cannot send {}: {}", request.getMethod(), e.toString());
            failed.run();
          }
        });
  }

  private void onOwner(Runnable work) {
    context.onOwner(logging, work);
  }

  /**
   * Where the responses to one of our in-dialog requests go (on the owner): a final refusal, or a
   * timeout as 408, becomes {@code refusal}'s event for core — for REFER the transfer attempt ends,
   * for INFO picture_fast_update core stops asking.
   */
  private final class RefusalOutcome implements dev.tandem.sip.stack.ClientEvents {
    private final String method;
    private final java.util.function.BiFunction<Integer, String, SipLegEvent> refusal;

    RefusalOutcome(
        String method, java.util.function.BiFunction<Integer, String, SipLegEvent> refusal) {
      this.method = method;
      this.refusal = refusal;
    }

    @Override
    public void response(javax.sip.ResponseEvent event) {
      Response response = event.getResponse();
      if (response.getStatusCode() >= 300) {
        onOwner(
            () ->
                listener
                    .get()
                    .on(refusal.apply(response.getStatusCode(), response.getReasonPhrase())));
      }
    }

    @Override
    public void timeout(javax.sip.TimeoutEvent event) {
      onOwner(
          () ->
              listener
                  .get()
                  .on(refusal.apply(SipReasons.REQUEST_TIMEOUT.code(), method + " timed out")));
    }

    @Override
    public void dialogTimeout(gov.nist.javax.sip.DialogTimeoutEvent event) {}
  }

  /** A NOTIFY in this dialog: for our REFER, its sipfrag status goes to core; always 200. */
  void onNotify(Request notify, ServerTransaction transaction) {
    respond(transaction, messages.response(notify, Response.OK));
    javax.sip.header.EventHeader event =
        (javax.sip.header.EventHeader) notify.getHeader(javax.sip.header.EventHeader.NAME);
    byte[] body = notify.getRawContent();
    if (event == null || !"refer".equalsIgnoreCase(event.getEventType()) || body == null) {
      return;
    }
    String line = new String(body, StandardCharsets.UTF_8).split("\r?\n", 2)[0].strip();
    String[] parts = line.split(" ", 3);
    if (parts.length >= 2 && parts[0].startsWith("SIP/2.0")) {
      try {
        int status = Integer.parseInt(parts[1]);
        listener
            .get()
            .on(new SipLegEvent.TransferProgress(status, parts.length > 2 ? parts[2] : ""));
      } catch (NumberFormatException e) {
        log.info("NOTIFY with an unreadable sipfrag status");
      }
    }
  }

  /** The peer's REFER: 202 Accepted, the first NOTIFY (100 Trying), then core decides. */
  void onRefer(Request refer, ServerTransaction transaction) {
    javax.sip.header.ReferToHeader referTo =
        (javax.sip.header.ReferToHeader) refer.getHeader(javax.sip.header.ReferToHeader.NAME);
    if (referTo == null) {
      respond(transaction, messages.refusal(refer, Response.BAD_REQUEST, "REFER without Refer-To"));
      return;
    }
    respond(transaction, messages.response(refer, Response.ACCEPTED));
    notifyRefer(SipReasons.TRYING.code(), SipReasons.TRYING.phrase());
    listener.get().on(new SipLegEvent.Referred(referTo.getAddress().getURI().toString()));
  }

  /** A NOTIFY (message/sipfrag) telling the peer how the call its REFER asked for goes. */
  void notifyRefer(int status, String reason) {
    if (!live.getAsBoolean()) {
      return;
    }
    try {
      Request notify = request(Request.NOTIFY);
      notify.setHeader(messages.headers().createEventHeader("refer"));
      notify.setHeader(
          messages
              .headers()
              .createSubscriptionStateHeader(
                  status >= 200 ? "terminated;reason=noresource" : "active;expires=60"));
      notify.setContent(
          ("SIP/2.0 " + status + " " + reason + "\r\n").getBytes(StandardCharsets.UTF_8),
          messages.headers().createContentTypeHeader("message", "sipfrag"));
      sendInDialog(notify, null, () -> {}, () -> {});
    } catch (Exception e) {
      log.warn("cannot send NOTIFY: {}", e.toString());
    }
  }

  /**
   * The peer's remote target with a Replaces header naming this dialog as the peer sees it (RFC
   * 3891 §3: to-tag is the peer's tag, from-tag ours).
   */
  Optional<String> replacingUri() {
    if (dialog.getRemoteTarget() == null || dialog.getRemoteTag() == null) {
      return Optional.empty();
    }
    String replaces =
        dialog.getCallId().getCallId()
            + ";to-tag="
            + dialog.getRemoteTag()
            + ";from-tag="
            + dialog.getLocalTag();
    String target = dialog.getRemoteTarget().getURI().toString();
    return Optional.of(
        target
            + "?Replaces="
            + java.net.URLEncoder.encode(replaces, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  // --- DTMF -------------------------------------------------------------------------------

  /** Core's digits, one INFO each, paced on the owner's timers (see {@link DtmfInfo#pace}). */
  void dtmf(String digits, Duration tone) {
    DtmfInfo.pace(
        digits,
        tone,
        context.timers(),
        digit ->
            onOwner(
                () -> {
                  if (live.getAsBoolean()) {
                    context.io(() -> DtmfInfo.send(dialog, provider, contact, digit, tone));
                  }
                }));
  }

  /** A digit the peer sent in an INFO (already answered 200). */
  void onDtmf(DtmfInfo.Digit digit) {
    listener.get().on(new SipLegEvent.Dtmf(digit.digit(), digit.duration()));
  }

  // --- key frames (RFC 5168 INFO picture_fast_update) -------------------------------------------

  /** Core's key-frame request: one INFO; a refusal or timeout comes back as an event. */
  void requestKeyframe() {
    if (!live.getAsBoolean()) {
      return;
    }
    Request info;
    try {
      info = request(Request.INFO);
      info.setContent(
          PictureFastUpdate.BODY.getBytes(StandardCharsets.UTF_8),
          messages
              .headers()
              .createContentTypeHeader(PictureFastUpdate.TYPE, PictureFastUpdate.SUBTYPE));
    } catch (Exception e) {
      log.warn("cannot send INFO picture_fast_update: {}", e.toString());
      return;
    }
    sendInDialog(
        info,
        new RefusalOutcome("INFO", SipLegEvent.KeyframeRequestRefused::new),
        () -> log.debug("INFO picture_fast_update sent"),
        () -> {});
  }

  /** The peer asked for a key frame in an INFO (already answered 200). */
  void onKeyframeWanted() {
    listener.get().on(new SipLegEvent.KeyframeWanted());
  }

  // --- re-INVITE --------------------------------------------------------------------------

  /** Core's re-offer: a re-INVITE with {@code sdp}; failures become a {@code ReinviteFailed}. */
  void reinvite(String sdp) {
    if (!live.getAsBoolean()) {
      return;
    }
    Request invite;
    try {
      invite = request(Request.INVITE);
      invite.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
    } catch (Exception e) {
      log.warn("cannot send re-INVITE: {}", e.toString());
      reinviteFailed();
      return;
    }
    oursOffer = sdp;
    ours = invite;
    sendInDialog(
        invite,
        this,
        () -> log.info("re-INVITE sent"),
        () ->
            onOwner(
                () -> {
                  if (ours == invite) {
                    ours = null;
                    reinviteFailed();
                  }
                }));
  }

  private void reinviteFailed() {
    listener
        .get()
        .on(
            new SipLegEvent.ReinviteFailed(
                SipReasons.SERVER_INTERNAL_ERROR.code(), "cannot send re-INVITE"));
  }

  /** Core's answer to the peer's pending re-INVITE. */
  void acceptReinvite(String sdp) {
    ServerTransaction transaction = theirs;
    theirs = null;
    if (transaction == null) {
      return;
    }
    try {
      Response ok = messages.response(transaction.getRequest(), Response.OK);
      ok.setHeader(contact);
      ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
      respond(transaction, timed(ok, transaction.getRequest()));
      localSdp = sdp;
      remoteSdp = theirsOffer;
      refreshed();
    } catch (Exception e) {
      log.warn("cannot answer the re-INVITE: {}", e.toString());
    }
  }

  /** Core's refusal of the peer's pending re-INVITE. */
  void rejectReinvite(int status, String reason) {
    ServerTransaction transaction = theirs;
    theirs = null;
    if (transaction == null) {
      return;
    }
    Response refused = messages.response(transaction.getRequest(), status);
    try {
      refused.setReasonPhrase(reason);
    } catch (java.text.ParseException e) {
      log.debug("keeping the standard reason phrase: {}", e.getMessage());
    }
    respond(transaction, refused);
  }

  /** A response to our re-INVITE (on the owner): a 2xx is ACKed and its answer goes to core. */
  void onResponse(Response response, ClientTransaction transaction) {
    LegContext.enter(logging);
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    if (!isOurs(response)) {
      if (status < 300) {
        ack(response); // a retransmitted 2xx
      }
      return;
    }
    ours = null;
    if (status < 300) {
      ack(response);
      Optional<String> sdp = SipBodies.sdp(response);
      if (sdp.isPresent()) {
        localSdp = oursOffer;
        remoteSdp = sdp.get();
        refreshed();
      }
      listener
          .get()
          .on(
              sdp.isPresent()
                  ? new SipLegEvent.ReinviteAnswered(sdp.get())
                  : new SipLegEvent.ReinviteFailed(
                      SipReasons.NOT_ACCEPTABLE_HERE.code(), "2xx to re-INVITE without SDP"));
    } else {
      listener.get().on(new SipLegEvent.ReinviteFailed(status, response.getReasonPhrase()));
    }
  }

  /** Our re-INVITE got no final response (Timer B); on the owner. */
  void onTimeout(ClientTransaction transaction) {
    LegContext.enter(logging);
    if (!isOurs(transaction.getRequest())) {
      return;
    }
    ours = null;
    listener
        .get()
        .on(
            new SipLegEvent.ReinviteFailed(
                SipReasons.REQUEST_TIMEOUT.code(), SipReasons.REQUEST_TIMEOUT.phrase()));
  }

  /** Whether a message of our re-INVITE's transaction is that of the pending one. */
  private boolean isOurs(javax.sip.message.Message message) {
    return ours != null && cseq(message) == cseq(ours);
  }

  private static long cseq(javax.sip.message.Message message) {
    return ((CSeqHeader) message.getHeader(CSeqHeader.NAME)).getSeqNumber();
  }

  private void ack(Response response) {
    long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
    context.io(() -> dialog.sendAck(dialog.createAck(cseq)));
  }

  /**
   * The peer's re-INVITE or UPDATE (RFC 3311) with a new offer: a re-INVITE gets 100 at once, then
   * core decides and answers it. An UPDATE without SDP (a session refresh) is answered 200 here; a
   * re-INVITE without SDP (an offer wanted in our 2xx) is refused; one while another is pending
   * gets 491. A re-INVITE without SDP (RFC 3261 §14.2: it asks for an offer) gets our current
   * session as the offer in its 200, and the answer comes in the ACK ({@link #onAck}).
   */
  void receive(Request request, ServerTransaction transaction) {
    Optional<String> sdp = SipBodies.sdp(request);
    boolean update = Request.UPDATE.equals(request.getMethod());
    try {
      if (update && sdp.isEmpty()) {
        respond(transaction, timed(messages.response(request, Response.OK), request));
        refreshed();
        return;
      }
      if (theirs == null && sdp.isPresent() && unchanged(sdp.get())) {
        // RFC 3264 §8: the same version is no new offer (a session refresh): answered with ours
        Response ok = messages.response(request, Response.OK);
        ok.setHeader(contact);
        ok.setContent(localSdp.getBytes(StandardCharsets.UTF_8), sdpType());
        respond(transaction, timed(ok, request));
        refreshed();
        log.debug("{} with the unchanged SDP answered directly", request.getMethod());
        return;
      }
    } catch (Exception e) {
      log.warn("cannot answer the {}: {}", request.getMethod(), e.toString());
      return;
    }
    if (theirs != null) {
      respond(transaction, messages.response(request, Response.REQUEST_PENDING));
      return;
    }
    if (sdp.isEmpty()) {
      offerInOk(request, transaction);
      return;
    }
    theirs = transaction;
    theirsOffer = sdp.get();
    if (!update) {
      respond(transaction, messages.response(request, Response.TRYING));
    }
    listener.get().on(new SipLegEvent.Reinvite(sdp.get()));
  }

  private void respond(ServerTransaction transaction, Response response) {
    context.io(() -> transaction.sendResponse(response));
  }

  /**
   * A re-INVITE without SDP: the 200 offers our current session unchanged (RFC 3264 §8: the same o=
   * line, version and all, since nothing changed on our side); one while our own re-INVITE or
   * another such offer is open gets 491 (RFC 3261 §14.2).
   */
  private void offerInOk(Request request, ServerTransaction transaction) {
    if (ours != null || offeredInOk >= 0) {
      respond(transaction, messages.response(request, Response.REQUEST_PENDING));
      return;
    }
    if (localSdp == null) {
      respond(
          transaction,
          messages.refusal(request, Response.NOT_ACCEPTABLE_HERE, "no session to offer yet"));
      return;
    }
    try {
      Response ok = messages.response(request, Response.OK);
      ok.setHeader(contact);
      ok.setContent(localSdp.getBytes(StandardCharsets.UTF_8), sdpType());
      respond(transaction, timed(ok, request));
      offeredInOk = cseq(request);
      log.info("re-INVITE without SDP: our session offered in the 200, the answer due in the ACK");
    } catch (Exception e) {
      log.warn("cannot answer the re-INVITE without SDP: {}", e.toString());
    }
  }

  /**
   * The peer's ACK for a 2xx of ours. After a re-INVITE without SDP it carries the answer to our
   * offer (RFC 3264 §5): the same media as before is a refresh, other media goes to core (the relay
   * and the browser must follow), none at all too (core ends the call). Other ACKs need nothing.
   */
  void onAck(Request ack) {
    LegContext.enter(logging);
    if (offeredInOk < 0 || cseq(ack) != offeredInOk) {
      return;
    }
    offeredInOk = -1;
    Optional<String> answer = SipBodies.sdp(ack);
    if (answer.isPresent() && remoteSdp != null && lines(answer.get()).equals(lines(remoteSdp))) {
      refreshed();
      log.debug("ACK with the unchanged answer: a refresh");
      return;
    }
    if (answer.isPresent()) {
      remoteSdp = answer.get();
      refreshed();
      log.info("ACK with a changed answer to our offer: the media follows");
    } else {
      log.warn("ACK without the answer to our offer in the 200 (RFC 3264 §5)");
    }
    listener.get().on(new SipLegEvent.AnswerInAck(answer));
  }

  /**
   * Whether an offer repeats the peer's last SDP exactly (a session refresh). RFC 3264 §8 lets a
   * peer signal "no change" by its o= version alone; an offer with the same version but other lines
   * breaks that rule, and is taken as a new offer, to be safe.
   */
  private boolean unchanged(String offer) {
    return localSdp != null && remoteSdp != null && lines(offer).equals(lines(remoteSdp));
  }

  private static java.util.List<String> lines(String sdp) {
    return java.util.Arrays.stream(sdp.split("\\r?\\n"))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /**
   * A 2xx to the peer's refresh repeats the session interval (RFC 4028 §9) when a timer runs: the
   * peer keeps refreshing.
   */
  private Response timed(Response ok, Request request) throws Exception {
    SessionTimers.SessionExpires asked = SessionTimers.sessionExpires(request).orElse(null);
    if (timer != null && asked != null) {
      ok.setHeader(asked.header(messages));
      ok.addHeader(messages.headers().createRequireHeader("timer"));
    }
    return ok;
  }

  private ContentTypeHeader sdpType() throws java.text.ParseException {
    return messages.headers().createContentTypeHeader("application", "sdp");
  }
}

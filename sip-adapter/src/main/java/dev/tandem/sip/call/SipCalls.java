package dev.tandem.sip.call;

import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipInbound;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.time.Scheduler;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.registrar.DigestGate;
import dev.tandem.sip.stack.ClientEvents;
import dev.tandem.sip.stack.Flow;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.stack.Source;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.ServerTransactionExt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The B2BUA's call handling: places the SIP leg of a browser's call ({@link SipSide}), hands
 * INVITEs for browser users to core ({@link SipInbound}), and routes responses, CANCEL and BYE to
 * the leg they belong to.
 */
public final class SipCalls implements SipSide, ClientEvents {
  private static final Logger log = LoggerFactory.getLogger(SipCalls.class);

  private static final int SESSION_INTERVAL_TOO_SMALL = 422;

  private final Providers providers;
  private final SipMessages messages;
  private final CallerHeaders callerHeaders;
  private final SessionTimers timers;
  private final LegContext context;
  private volatile SipInbound inbound;
  private volatile DigestGate gate;

  /** Without session timers. */
  public SipCalls(Providers providers, SipMessages messages, Executor owner, Scheduler scheduler) {
    this(providers, messages, Duration.ZERO, Duration.ofSeconds(90), owner, scheduler);
  }

  /**
   * @param sessionExpires the session interval proposed and granted (RFC 4028); zero: none
   * @param minSessionExpires the shortest accepted (Min-SE)
   * @param owner the one serial executor on which every call's SIP state lives (core's signaling
   *     loop, so that core and the legs share one owner per call)
   * @param scheduler timers that fire on {@code owner}
   */
  public SipCalls(
      Providers providers,
      SipMessages messages,
      Duration sessionExpires,
      Duration minSessionExpires,
      Executor owner,
      Scheduler scheduler) {
    this.providers = providers;
    this.messages = messages;
    this.callerHeaders = new CallerHeaders(messages);
    this.timers = new SessionTimers(sessionExpires, minSessionExpires);
    this.context = new LegContext(owner, scheduler, providers, messages, timers);
  }

  /** Where INVITEs for browser users go: core's switchboard. */
  public void connect(SipInbound inbound) {
    this.inbound = inbound;
  }

  /**
   * The registrar's digest check for INVITEs whose From is one of its accounts (standalone mode).
   */
  public void authenticateWith(DigestGate gate) {
    this.gate = gate;
  }

  /**
   * The INVITE, ACK, CANCEL, BYE, INFO, UPDATE, REFER and NOTIFY handlers for the dispatcher. An
   * INVITE's checks that need no call state (digest, Require, Session-Expires) run on the JAIN-SIP
   * thread; everything that touches a call runs on the owner.
   */
  public List<RequestHandler> handlers() {
    return List.of(
        handler(Request.INVITE, this::invite),
        handler(Request.ACK, this::ack),
        handler(Request.CANCEL, onOwner(this::cancel)),
        handler(Request.BYE, onOwner(this::bye)),
        handler(Request.INFO, onOwner(this::info)),
        handler(Request.UPDATE, onOwner(this::update)),
        handler(Request.REFER, onOwner(this::refer)),
        handler(Request.NOTIFY, onOwner(this::notify)));
  }

  /**
   * {@code handling} on the owner, with the SIP Call-ID in the logging context; a failure there is
   * answered 500 as the dispatcher would.
   */
  private Handling onOwner(Handling handling) {
    return (event, transaction) -> {
      Map<String, String> logging = MDC.getCopyOfContextMap();
      context.onOwner(
          logging,
          () -> {
            try {
              handling.handle(event, transaction);
            } catch (Exception e) {
              log.error("{} handling failed", event.getRequest().getMethod(), e);
              respond(
                  transaction,
                  messages.response(event.getRequest(), Response.SERVER_INTERNAL_ERROR));
            }
          });
    };
  }

  private void respond(ServerTransaction transaction, Response response) {
    context.io(() -> transaction.sendResponse(response));
  }

  // --- outbound -----------------------------------------------------------------------------

  /** Places the SIP leg of a browser's call; on the owner (core's loop). */
  @Override
  public OutboundLeg invite(OutboundInvite invite, SipLegListener listener) {
    OutboundSipLeg leg = new OutboundSipLeg(invite, listener, context);
    SipTransport wanted = SipTransport.of(invite.destination().transport());
    Optional<SipProvider> provider = providers.provider(wanted);
    if (provider.isEmpty()) {
      leg.fail(
          SipReasons.SERVICE_UNAVAILABLE.because(
              "the bridge does not listen on " + wanted.wireName()));
      return leg;
    }
    SipProvider chosen = provider.get();
    leg.start(
        opened -> {
          // A request goes over the transport the destination is configured with, or the one a
          // phone registered over, whatever its size: RFC 3263 §4.1 has an explicit transport
          // used as given, and RFC 3261 §18.1.1 has every element take UDP messages up to
          // 65,535 bytes. Its switch to TCP above 1300 bytes (a MUST "if the path MTU is
          // unknown") cannot reach a peer that listens on UDP only: it cost a failed connection
          // and JAIN-SIP's ERROR traces per call, and a UDP-registered phone's ACK went nowhere.
          Request request = inviteRequest(invite, chosen);
          ClientTransaction transaction = chosen.getNewClientTransaction(request);
          opened.opened(transaction);
          transaction.sendRequest();
          log.info("INVITE {} sent via {}", invite.requestUri(), invite.destination().name());
        });
    return leg;
  }

  private Request inviteRequest(OutboundInvite invite, SipProvider provider) throws Exception {
    HeaderFactory headers = messages.headers();
    ListeningPoint point = Providers.listeningPoint(provider);
    String transport = point.getTransport().toLowerCase(Locale.ROOT);
    Destination d = invite.destination();
    HostPort local = providers.advertised().toward(provider, d.host());
    URI requestUri = messages.addresses().createURI(invite.requestUri());
    Address from = callerHeaders.from(invite.from(), local);
    Address to = messages.addresses().createAddress(invite.requestUri());
    Request request =
        messages
            .requests()
            .createRequest(
                requestUri,
                Request.INVITE,
                messages.newCallId(local),
                headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(from, SipMessages.newTag()),
                headers.createToHeader(to, null),
                List.of(messages.via(local, transport)),
                headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("application", "sdp"),
                invite.sdp().getBytes(StandardCharsets.UTF_8));
    // RFC 3323 §4.1.1.3: an anonymous caller's Contact names no user
    request.addHeader(
        messages.contact(invite.from().anonymous() ? null : invite.fromUser(), local, transport));
    callerHeaders.addIdentity(request, invite.from(), local);
    request.addHeader(headers.createUserAgentHeader(List.of(messages.product())));
    // reliable provisional responses (RFC 3262): early media from peers that require 100rel
    request.addHeader(headers.createSupportedHeader("100rel"));
    timers.propose(request, messages);
    SipURI next =
        messages.addresses().createSipURI(null, new HostPort(d.host(), d.port()).toString());
    next.setTransportParam(transport);
    next.setLrParam();
    request.addHeader(headers.createRouteHeader(messages.addresses().createAddress(next)));
    return request;
  }

  /** A response to a call's request: handled on the owner. */
  @Override
  public void response(ResponseEvent event) {
    context.onOwner(MDC.getCopyOfContextMap(), () -> onResponse(event));
  }

  private void onResponse(ResponseEvent event) {
    ClientTransaction transaction = event.getClientTransaction();
    Response response = event.getResponse();
    String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
    if (!Request.INVITE.equals(method)) {
      return; // responses to our BYE, CANCEL and INFO need nothing more
    }
    if (transaction != null
        && transaction.getApplicationData() instanceof EstablishedDialog dialog) {
      dialog.onResponse(response, transaction);
    } else if (transaction != null
        && transaction.getApplicationData() instanceof OutboundSipLeg leg) {
      leg.onResponse(response, transaction);
    } else if (event.getDialog() != null
        && event.getDialog().getApplicationData() instanceof OutboundSipLeg leg) {
      leg.onResponse(response, null); // a 2xx retransmitted after its transaction ended
    }
  }

  @Override
  public void timeout(TimeoutEvent event) {
    if (event.isServerTransaction()) {
      return;
    }
    context.onOwner(MDC.getCopyOfContextMap(), () -> onTimeout(event));
  }

  private void onTimeout(TimeoutEvent event) {
    Object owner = event.getClientTransaction().getApplicationData();
    if (owner instanceof OutboundSipLeg leg) {
      leg.onTimeout();
    } else if (owner instanceof EstablishedDialog dialog) {
      dialog.onTimeout(event.getClientTransaction());
    }
  }

  @Override
  public void dialogTimeout(DialogTimeoutEvent event) {
    Dialog dialog = event.getDialog();
    context.onOwner(
        MDC.getCopyOfContextMap(),
        () -> {
          if (dialog != null && dialog.getApplicationData() instanceof InboundSipLeg leg) {
            leg.onAckTimeout();
          }
        });
  }

  // --- inbound ------------------------------------------------------------------------------

  private void invite(RequestEvent event, ServerTransaction transaction) throws Exception {
    Request request = event.getRequest();
    if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
      // RFC 3261 §14.2: a re-INVITE in one of our dialogs
      onOwner(this::reinvite).handle(event, transaction);
      return;
    }
    // empty: a late offer (RFC 3261 §13.2.1), the bridge offers in its 200 and the ACK answers
    Optional<String> sdp = SipBodies.sdp(request);
    String user = request.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
    if (user == null || inbound == null) {
      reject(transaction, Response.NOT_FOUND, "no user in the Request-URI");
      return;
    }
    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    String fromUser = from.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : null;
    DigestGate digest = gate;
    HostPort source = Source.of(event);
    Optional<String> authenticated = Optional.empty();
    if (fromUser != null && digest != null && digest.challenges(fromUser)) {
      Optional<String> account =
          digest.authenticate(request, transaction, fromUser, source.host(), true);
      if (account.isEmpty()) {
        return;
      }
      if (!account.get().equals(fromUser)) {
        reject(transaction, Response.FORBIDDEN, account.get() + " may not call as " + fromUser);
        return;
      }
      authenticated = account;
    }
    Optional<Long> minSe = timers.tooSmall(request);
    if (minSe.isPresent()) {
      Response tooSmall = messages.response(request, SESSION_INTERVAL_TOO_SMALL);
      tooSmall.setHeader(
          messages.headers().createHeader(SessionTimers.MIN_SE, Long.toString(minSe.get())));
      transaction.sendResponse(tooSmall);
      return;
    }
    SipProvider provider = (SipProvider) event.getSource();
    Dialog dialog = provider.getNewDialog(transaction);
    String transport = Providers.listeningPoint(provider).getTransport();
    ContactHeader contact =
        messages.contact(user, providers.advertised().toward(provider, source.host()), transport);
    Optional<Flow> flow =
        Flow.ofRequest(request, source.host(), source.port(), SipTransport.ofWireName(transport));
    InboundInvite invite =
        new InboundInvite(
            dialog.getCallId().getCallId(),
            from.getAddress().getURI().toString(),
            from.getAddress().getDisplayName(),
            user,
            sdp,
            source.host(),
            authenticated);
    // One task on the owner: a CANCEL, which also hops there, finds the leg listened to.
    onOwner(
            (e, t) -> {
              InboundSipLeg leg =
                  new InboundSipLeg(transaction, dialog, provider, context, contact, flow);
              transaction.setApplicationData(leg);
              leg.trying();
              leg.listen(inbound.incoming(invite, leg));
            })
        .handle(event, transaction);
  }

  /**
   * An ACK for a 2xx of ours (no transaction, no response): to its dialog's leg on the owner, since
   * it may carry the answer to an offer in our 200 (RFC 3264 §5). An ACK outside any dialog we know
   * needs nothing.
   */
  private void ack(RequestEvent event, ServerTransaction none) {
    Dialog dialog = event.getDialog();
    if (dialog == null) {
      return;
    }
    context.onOwner(
        MDC.getCopyOfContextMap(),
        () -> {
          if (dialog.getApplicationData() instanceof SipDialogLeg leg) {
            LegContext.enter(leg.logging());
            leg.onAck(event.getRequest());
          }
        });
  }

  private void reinvite(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      leg.get().onReinvite(event.getRequest(), transaction);
    }
  }

  private void cancel(RequestEvent event, ServerTransaction transaction) throws Exception {
    ServerTransaction invite =
        transaction instanceof ServerTransactionExt ext ? ext.getCanceledInviteTransaction() : null;
    if (invite == null || !(invite.getApplicationData() instanceof InboundSipLeg leg)) {
      respond(
          transaction,
          messages.response(event.getRequest(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
      return;
    }
    respond(transaction, messages.response(event.getRequest(), Response.OK));
    leg.onCancel(SipBodies.answeredElsewhere(event.getRequest()));
  }

  private void bye(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      respond(transaction, messages.response(event.getRequest(), Response.OK));
      leg.get().onBye(event.getRequest());
    }
  }

  /**
   * The call leg whose dialog an in-dialog request belongs to; for none, the request has been
   * answered 481 (RFC 3261 §12.2.2).
   */
  private Optional<SipDialogLeg> dialogLeg(RequestEvent event, ServerTransaction transaction)
      throws Exception {
    Dialog dialog = event.getDialog() != null ? event.getDialog() : transaction.getDialog();
    if (dialog != null && dialog.getApplicationData() instanceof SipDialogLeg leg) {
      LegContext.enter(leg.logging()); // this task's lines carry the bridge's call id too
      return Optional.of(leg);
    }
    respond(
        transaction,
        messages.response(event.getRequest(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
    return Optional.empty();
  }

  /** REFER in a call's dialog (RFC 3515): the peer transfers the browser's call. */
  private void refer(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      leg.get().onRefer(event.getRequest(), transaction);
    }
  }

  /** NOTIFY in a call's dialog: the progress of our REFER. */
  private void notify(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      leg.get().onNotify(event.getRequest(), transaction);
    }
  }

  @Override
  public String localUri(String user) {
    SipProvider provider =
        providers
            .provider(SipTransport.UDP)
            .or(() -> providers.provider(SipTransport.TCP))
            .orElseThrow();
    return "sip:" + user + "@" + providers.advertised().fallback(provider);
  }

  /** UPDATE in a call's dialog (RFC 3311): a new offer is handled like a re-INVITE's. */
  private void update(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      leg.get().onReinvite(event.getRequest(), transaction);
    }
  }

  /**
   * INFO in a call's dialog: a DTMF digit (application/dtmf-relay or application/dtmf) goes to the
   * browser; a key-frame request (application/media_control+xml picture_fast_update, RFC 5168) goes
   * to core, another media_control primitive is answered 200 and ignored (RFC 5168 reports errors
   * in a body of its own, not by status); an empty INFO is answered 200; another body type gets 415
   * with what is accepted.
   */
  private void info(RequestEvent event, ServerTransaction transaction) throws Exception {
    Request request = event.getRequest();
    Optional<SipDialogLeg> found = dialogLeg(event, transaction);
    if (found.isEmpty()) {
      return;
    }
    SipDialogLeg leg = found.get();
    byte[] body = request.getRawContent();
    if (body == null || body.length == 0) {
      respond(transaction, messages.response(request, Response.OK));
      return;
    }
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    if (PictureFastUpdate.readable(type)) {
      mediaControl(request, transaction, leg, body);
      return;
    }
    if (!DtmfInfo.readable(type)) {
      Response unsupported = messages.response(request, Response.UNSUPPORTED_MEDIA_TYPE);
      unsupported.addHeader(messages.headers().createAcceptHeader("application", "dtmf-relay"));
      unsupported.addHeader(messages.headers().createAcceptHeader("application", "dtmf"));
      unsupported.addHeader(
          messages.headers().createAcceptHeader(PictureFastUpdate.TYPE, PictureFastUpdate.SUBTYPE));
      respond(transaction, unsupported);
      return;
    }
    Optional<DtmfInfo.Digit> digit = DtmfInfo.read(request);
    if (digit.isEmpty()) {
      respond(
          transaction,
          messages.refusal(request, Response.BAD_REQUEST, "no DTMF signal in the INFO body"));
      return;
    }
    respond(transaction, messages.response(request, Response.OK));
    leg.onDtmf(digit.get());
  }

  /**
   * An RFC 5168 body: a key frame for core; another primitive 200 and dropped; no XML of it 400.
   */
  private void mediaControl(
      Request request, ServerTransaction transaction, SipDialogLeg leg, byte[] body)
      throws Exception {
    switch (PictureFastUpdate.read(body)) {
      case PICTURE_FAST_UPDATE -> {
        respond(transaction, messages.response(request, Response.OK));
        leg.onKeyframeWanted();
      }
      case OTHER_PRIMITIVE -> {
        log.debug("INFO media_control without picture_fast_update: nothing to do");
        respond(transaction, messages.response(request, Response.OK));
      }
      case NOT_MEDIA_CONTROL ->
          respond(
              transaction,
              messages.refusal(
                  request, Response.BAD_REQUEST, "no media_control element in the INFO body"));
    }
  }

  private void reject(ServerTransaction transaction, int status, String warning) throws Exception {
    transaction.sendResponse(messages.refusal(transaction.getRequest(), status, warning));
  }

  private interface Handling {
    void handle(RequestEvent event, ServerTransaction transaction) throws Exception;
  }

  private static RequestHandler handler(String method, Handling handling) {
    return new RequestHandler() {
      @Override
      public String method() {
        return method;
      }

      @Override
      public void handle(RequestEvent event, ServerTransaction transaction) throws Exception {
        handling.handle(event, transaction);
      }
    };
  }
}

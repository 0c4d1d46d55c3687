package dev.tandem.sip.call;

import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipInbound;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipSide;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.registrar.DigestGate;
import dev.tandem.sip.stack.ClientEvents;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipMessages;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.ServerTransactionExt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The B2BUA's call handling: places the SIP leg of a browser's call ({@link SipSide}), hands
 * INVITEs for browser users to core ({@link SipInbound}), and routes responses, CANCEL and BYE to
 * the leg they belong to.
 */
public final class SipCalls implements SipSide, ClientEvents {
  private static final Logger log = LoggerFactory.getLogger(SipCalls.class);

  /** RFC 3261 §18.1.1: a request within 200 bytes of the 1500-byte path MTU goes over TCP. */
  static final int UDP_LIMIT = 1300;

  private static final int SESSION_INTERVAL_TOO_SMALL = 422;

  private final Providers providers;
  private final SipMessages messages;
  private volatile SipInbound inbound;
  private volatile DigestGate gate;
  private final SessionTimers timers;

  /** Without session timers. */
  public SipCalls(Providers providers, SipMessages messages) {
    this(providers, messages, Duration.ZERO, Duration.ofSeconds(90));
  }

  /**
   * @param sessionExpires the session interval proposed and granted (RFC 4028); zero: none
   * @param minSessionExpires the shortest accepted (Min-SE)
   */
  public SipCalls(
      Providers providers,
      SipMessages messages,
      Duration sessionExpires,
      Duration minSessionExpires) {
    this.providers = providers;
    this.messages = messages;
    this.timers = new SessionTimers(sessionExpires, minSessionExpires);
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

  /** The INVITE, CANCEL, BYE, INFO, UPDATE, REFER and NOTIFY handlers for the dispatcher. */
  public List<RequestHandler> handlers() {
    return List.of(
        handler(Request.INVITE, this::invite),
        handler(Request.CANCEL, this::cancel),
        handler(Request.BYE, this::bye),
        handler(Request.INFO, this::info),
        handler(Request.UPDATE, this::update),
        handler(Request.REFER, this::refer),
        handler(Request.NOTIFY, this::notify));
  }

  // --- outbound -----------------------------------------------------------------------------

  @Override
  public OutboundLeg invite(OutboundInvite invite, SipLegListener listener) {
    SipTransport wanted = SipTransport.of(invite.destination().transport());
    Optional<SipProvider> provider = providers.provider(wanted);
    if (provider.isEmpty()) {
      listener.on(
          new SipLegEvent.Failed(503, "the bridge does not listen on " + wanted.wireName()));
      return new OutboundLeg() {
        @Override
        public void cancel() {}

        @Override
        public void bye() {}

        @Override
        public void dtmf(String digits, java.time.Duration toneDuration) {}

        @Override
        public void reinvite(String sdp) {}

        @Override
        public void acceptReinvite(String sdp) {}

        @Override
        public void rejectReinvite(int status, String reason) {}

        @Override
        public void refer(String referTo) {}

        @Override
        public Optional<String> replacingUri() {
          return Optional.empty();
        }

        @Override
        public void notifyRefer(int status, String reason) {}
      };
    }
    SipProvider chosen = provider.get();
    OutboundSipLeg[] leg = new OutboundSipLeg[1];
    providers.send(
        () -> {
          try {
            SipProvider via = chosen;
            Request request = inviteRequest(invite, via);
            Optional<SipProvider> tcp = providers.provider(SipTransport.TCP);
            int size = request.toString().length();
            if (wanted == SipTransport.UDP && size > UDP_LIMIT && tcp.isPresent()) {
              try {
                leg[0] =
                    new OutboundSipLeg(invite, listener, tcp.get(), providers, messages, timers);
                leg[0].start(inviteRequest(invite, tcp.get()));
                log.info(
                    "INVITE {} of {} bytes sent over TCP (RFC 3261 §18.1.1)",
                    invite.requestUri(),
                    size);
                return;
              } catch (Exception e) {
                // RFC 3261 §18.1.1: when TCP was chosen only for size and fails, retry over UDP.
                log.info(
                    "TCP to {} failed ({}): INVITE of {} bytes over UDP",
                    invite.destination().name(),
                    e.getMessage(),
                    size);
              }
            }
            leg[0] = new OutboundSipLeg(invite, listener, via, providers, messages, timers);
            leg[0].start(request);
            log.info("INVITE {} sent via {}", invite.requestUri(), invite.destination().name());
          } catch (Exception e) {
            log.warn("cannot send INVITE to {}: {}", invite.requestUri(), e.toString());
            listener.on(new SipLegEvent.Failed(500, "cannot send INVITE: " + e.getMessage()));
          }
        });
    // Commands run on the same sending thread, after the INVITE went out.
    return new OutboundLeg() {
      @Override
      public void cancel() {
        providers.send(
            () -> {
              if (leg[0] != null) {
                leg[0].cancel();
              }
            });
      }

      @Override
      public void bye() {
        providers.send(
            () -> {
              if (leg[0] != null) {
                leg[0].bye();
              }
            });
      }

      @Override
      public void dtmf(String digits, java.time.Duration toneDuration) {
        whenSent(l -> l.dtmf(digits, toneDuration));
      }

      @Override
      public void reinvite(String sdp) {
        whenSent(l -> l.reinvite(sdp));
      }

      @Override
      public void acceptReinvite(String sdp) {
        whenSent(l -> l.acceptReinvite(sdp));
      }

      @Override
      public void rejectReinvite(int status, String reason) {
        whenSent(l -> l.rejectReinvite(status, reason));
      }

      @Override
      public void refer(String referTo) {
        whenSent(l -> l.refer(referTo));
      }

      @Override
      public Optional<String> replacingUri() {
        OutboundSipLeg sent = leg[0];
        return sent == null ? Optional.empty() : sent.replacingUri();
      }

      @Override
      public void notifyRefer(int status, String reason) {
        whenSent(l -> l.notifyRefer(status, reason));
      }

      private void whenSent(java.util.function.Consumer<OutboundSipLeg> command) {
        providers.send(
            () -> {
              if (leg[0] != null) {
                command.accept(leg[0]);
              }
            });
      }
    };
  }

  private Request inviteRequest(OutboundInvite invite, SipProvider provider) throws Exception {
    HeaderFactory headers = messages.headers();
    ListeningPoint point = Providers.listeningPoint(provider);
    String transport = point.getTransport().toLowerCase(Locale.ROOT);
    String local = point.getIPAddress() + ":" + point.getPort();
    URI requestUri = messages.addresses().createURI(invite.requestUri());
    Address from =
        messages
            .addresses()
            .createAddress(invite.fromUri().orElse("sip:" + invite.fromUser() + "@" + local));
    Address to = messages.addresses().createAddress(invite.requestUri());
    ViaHeader via = headers.createViaHeader(point.getIPAddress(), point.getPort(), transport, null);
    Request request =
        messages
            .requests()
            .createRequest(
                requestUri,
                Request.INVITE,
                provider.getNewCallId(),
                headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(from, SipMessages.newTag()),
                headers.createToHeader(to, null),
                List.of(via),
                headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("application", "sdp"),
                invite.sdp().getBytes(StandardCharsets.UTF_8));
    request.addHeader(contact(invite.fromUser(), point));
    request.addHeader(headers.createUserAgentHeader(List.of(messages.product())));
    // reliable provisional responses (RFC 3262): early media from peers that require 100rel
    request.addHeader(headers.createSupportedHeader("100rel"));
    timers.propose(request, messages);
    Destination d = invite.destination();
    SipURI next = messages.addresses().createSipURI(null, d.host() + ":" + d.port());
    next.setTransportParam(transport);
    next.setLrParam();
    request.addHeader(headers.createRouteHeader(messages.addresses().createAddress(next)));
    return request;
  }

  private ContactHeader contact(String user, ListeningPoint point) throws Exception {
    SipURI uri =
        messages.addresses().createSipURI(user, point.getIPAddress() + ":" + point.getPort());
    uri.setTransportParam(point.getTransport().toLowerCase(Locale.ROOT));
    return messages.headers().createContactHeader(messages.addresses().createAddress(uri));
  }

  @Override
  public void response(ResponseEvent event) {
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
    if (dialog != null && dialog.getApplicationData() instanceof InboundSipLeg leg) {
      leg.onAckTimeout();
    }
  }

  // --- inbound ------------------------------------------------------------------------------

  private void invite(RequestEvent event, ServerTransaction transaction) throws Exception {
    Request request = event.getRequest();
    if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
      // RFC 3261 §14.2: a re-INVITE in one of our dialogs
      Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
      if (leg.isPresent()) {
        leg.get().onReinvite(request, transaction);
      }
      return;
    }
    Optional<String> sdp = SipBodies.sdp(request);
    if (sdp.isEmpty()) {
      reject(
          transaction, Response.NOT_ACCEPTABLE_HERE, "INVITE without an SDP offer not supported");
      return;
    }
    String user = request.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
    if (user == null || inbound == null) {
      reject(transaction, Response.NOT_FOUND, "no user in the Request-URI");
      return;
    }
    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    String fromUser = from.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : null;
    DigestGate digest = gate;
    if (fromUser != null && digest != null && digest.challenges(fromUser)) {
      String source = ((RequestEventExt) event).getRemoteIpAddress();
      Optional<String> account = digest.authenticate(request, transaction, fromUser, source, true);
      if (account.isEmpty()) {
        return;
      }
      if (!account.get().equals(fromUser)) {
        reject(transaction, Response.FORBIDDEN, account.get() + " may not call as " + fromUser);
        return;
      }
    }
    Optional<String> unsupported = unsupportedRequirement(request);
    if (unsupported.isPresent()) {
      // RFC 3261 §8.2.2.3: an extension we do not do (we send no reliable provisionals: 100rel)
      Response bad = messages.response(request, Response.BAD_EXTENSION);
      bad.addHeader(messages.headers().createUnsupportedHeader(unsupported.get()));
      transaction.sendResponse(bad);
      return;
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
    InboundSipLeg leg =
        new InboundSipLeg(
            transaction,
            dialog,
            provider,
            providers,
            messages,
            contact(user, Providers.listeningPoint(provider)),
            timers);
    transaction.setApplicationData(leg);
    leg.trying();
    String callId = dialog.getCallId().getCallId();
    leg.listen(
        inbound.incoming(
            new InboundInvite(
                callId,
                from.getAddress().getURI().toString(),
                from.getAddress().getDisplayName(),
                user,
                sdp.get()),
            leg));
  }

  /** The first option tag of the INVITE's Require that the bridge does not support. */
  private Optional<String> unsupportedRequirement(Request request) {
    for (java.util.Iterator<?> it = request.getHeaders(javax.sip.header.RequireHeader.NAME);
        it.hasNext(); ) {
      String tag = ((javax.sip.header.RequireHeader) it.next()).getOptionTag();
      if (!"timer".equalsIgnoreCase(tag)) {
        return Optional.of(tag);
      }
    }
    return Optional.empty();
  }

  private void cancel(RequestEvent event, ServerTransaction transaction) throws Exception {
    ServerTransaction invite =
        transaction instanceof ServerTransactionExt ext ? ext.getCanceledInviteTransaction() : null;
    if (invite == null || !(invite.getApplicationData() instanceof InboundSipLeg leg)) {
      transaction.sendResponse(
          messages.response(event.getRequest(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
      return;
    }
    transaction.sendResponse(messages.response(event.getRequest(), Response.OK));
    leg.onCancel();
  }

  private void bye(RequestEvent event, ServerTransaction transaction) throws Exception {
    Optional<SipDialogLeg> leg = dialogLeg(event, transaction);
    if (leg.isPresent()) {
      transaction.sendResponse(messages.response(event.getRequest(), Response.OK));
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
      return Optional.of(leg);
    }
    transaction.sendResponse(
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
    ListeningPoint point = Providers.listeningPoint(provider);
    return "sip:" + user + "@" + point.getIPAddress() + ":" + point.getPort();
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
   * browser; an empty INFO is answered 200; another body type gets 415 with what is accepted.
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
      transaction.sendResponse(messages.response(request, Response.OK));
      return;
    }
    ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    if (!DtmfInfo.readable(type)) {
      Response unsupported = messages.response(request, Response.UNSUPPORTED_MEDIA_TYPE);
      unsupported.addHeader(messages.headers().createAcceptHeader("application", "dtmf-relay"));
      unsupported.addHeader(messages.headers().createAcceptHeader("application", "dtmf"));
      transaction.sendResponse(unsupported);
      return;
    }
    Optional<DtmfInfo.Digit> digit = DtmfInfo.read(request);
    if (digit.isEmpty()) {
      reject(transaction, Response.BAD_REQUEST, "no DTMF signal in the INFO body");
      return;
    }
    transaction.sendResponse(messages.response(request, Response.OK));
    leg.onDtmf(digit.get());
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

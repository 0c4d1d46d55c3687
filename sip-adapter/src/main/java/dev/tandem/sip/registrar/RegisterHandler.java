package dev.tandem.sip.registrar;

import dev.tandem.core.registrar.Binding;
import dev.tandem.core.registrar.RegisterRequest;
import dev.tandem.core.registrar.RegisterResult;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.core.sip.Destination;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.stack.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REGISTER (RFC 3261 §10.3) for the standalone registrar: authenticates the request ({@link
 * DigestGate}), checks that the account registers itself, bounds each contact's expiry and hands
 * the change to core's {@link Registrar}. The 200 lists every binding with the seconds it has left.
 *
 * <pre>
 * what                                          answer
 * no or wrong credentials                       401 with a new challenge (403 after the limit)
 * To names another account than the username    403
 * To names no account                           404
 * an expiry above 0 below min-expires           423 Interval Too Brief, Min-Expires
 * Contact: * with other contacts or Expires > 0 400
 * same Call-ID, CSeq not higher than before     500 (out of order)
 * more contacts than max-contacts               403
 * no Contact                                    200 with the current bindings (a query)
 * </pre>
 */
public final class RegisterHandler implements RequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RegisterHandler.class);

  private volatile RegistrarSettings settings;
  private final Registrar registrar;
  private final DigestGate gate;
  private final SipMessages messages;
  private final Supplier<Instant> clock;

  public RegisterHandler(
      RegistrarSettings settings,
      Registrar registrar,
      DigestGate gate,
      SipMessages messages,
      Supplier<Instant> clock) {
    this.settings = settings;
    this.registrar = registrar;
    this.gate = gate;
    this.messages = messages;
    this.clock = clock;
  }

  /** New accounts (a configuration reload) for the REGISTERs that follow. */
  public void reconfigure(RegistrarSettings next) {
    this.settings = next;
  }

  @Override
  public String method() {
    return Request.REGISTER;
  }

  @Override
  public void handle(RequestEvent event, ServerTransaction transaction) throws Exception {
    Request request = event.getRequest();
    if (!settings.enabled()) {
      reject(transaction, Response.FORBIDDEN, "this bridge is not a registrar");
      return;
    }
    // where the REGISTER came from (the NAT's mapping), not what its Contact or Via say: INVITEs
    // to the binding go there (like Kamailio's fix_nated_register)
    HostPort from = Source.of(event);
    String source = from.host();
    ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
    String aor = to.getAddress().getURI() instanceof SipURI uri ? uri.getUser() : null;
    Optional<String> user =
        gate.authenticate(request, transaction, String.valueOf(aor), source, false);
    if (user.isEmpty()) {
      return;
    }
    if (aor == null || registrar.account(aor).isEmpty()) {
      reject(transaction, Response.NOT_FOUND, "no account " + aor);
      return;
    }
    if (!registrar.account(aor).get().equals(user.get())) {
      reject(transaction, Response.FORBIDDEN, user.get() + " may not register " + aor);
      return;
    }
    String account = registrar.account(aor).get();
    ExpiresHeader expiresHeader = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
    Optional<Integer> headerExpires =
        Optional.ofNullable(expiresHeader).map(ExpiresHeader::getExpires);
    List<RegisterRequest.ContactUpdate> updates = new ArrayList<>();
    boolean wildcard = false;
    int contacts = 0;
    for (Iterator<?> it = request.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
      ContactHeader contact = (ContactHeader) it.next();
      contacts++;
      if (contact.isWildCard()) {
        wildcard = true;
        continue;
      }
      int seconds =
          contact.getExpires() >= 0
              ? contact.getExpires()
              : headerExpires.orElse((int) settings.defaultExpires().toSeconds());
      if (seconds > 0 && seconds < settings.minExpires().toSeconds()) {
        Response brief = messages.response(request, Response.INTERVAL_TOO_BRIEF);
        brief.addHeader(
            messages.headers().createMinExpiresHeader((int) settings.minExpires().toSeconds()));
        transaction.sendResponse(brief);
        return;
      }
      Duration expires = Duration.ofSeconds(Math.min(seconds, settings.maxExpires().toSeconds()));
      updates.add(
          new RegisterRequest.ContactUpdate(contact.getAddress().getURI().toString(), expires));
    }
    if (wildcard && (contacts > 1 || headerExpires.orElse(-1) != 0)) {
      reject(transaction, Response.BAD_REQUEST, "Contact: * needs Expires: 0 and no other Contact");
      return;
    }
    ListeningPoint point = ((SipProvider) event.getSource()).getListeningPoints()[0];
    Destination.Transport transport = SipTransport.ofWireName(point.getTransport()).toDestination();
    RegisterResult result =
        registrar.register(
            account,
            new RegisterRequest(
                ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
                ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber(),
                wildcard,
                updates,
                transport,
                source,
                from.port()));
    if (result instanceof RegisterResult.Refused refused) {
      reject(transaction, refused.status(), refused.reason());
      return;
    }
    Response ok = messages.response(request, Response.OK);
    Instant now = clock.get();
    for (Binding b : ((RegisterResult.Registered) result).bindings()) {
      ContactHeader contact =
          messages.headers().createContactHeader(messages.addresses().createAddress(b.contact()));
      contact.setExpires((int) b.secondsLeft(now));
      ok.addHeader(contact);
    }
    ok.addHeader(messages.headers().createDateHeader(java.util.Calendar.getInstance()));
    transaction.sendResponse(ok);
    log.debug("REGISTER {} from {} accepted", account, from);
  }

  private void reject(ServerTransaction transaction, int status, String warning) throws Exception {
    transaction.sendResponse(messages.refusal(transaction.getRequest(), status, warning));
  }
}

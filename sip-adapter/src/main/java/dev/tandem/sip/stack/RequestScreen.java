package dev.tandem.sip.stack;

import dev.tandem.sip.wire.StackHooks;
import dev.tandem.sip.wire.WireDefects;
import gov.nist.javax.sip.RequestEventExt;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.ContactHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every request passes before its method's handler sees it, in the order of RFC 3261
 * §8.2, and the one place that answers them:
 *
 * <pre>
 * SIP version other than 2.0                      505  (§8.1.1.1, §21.5.6)
 * From, To, Call-ID, CSeq, Max-Forwards twice     400  (§7.3.1, §20)
 * INVITE without Contact                          400 Missing Contact (§8.1.1.8)
 * Request-URI neither sip: nor sips:              416  (§8.2.2.1)
 * Require with an option tag we do not support    420 + Unsupported (§8.2.2.3; not ACK, CANCEL)
 * </pre>
 *
 * The version and duplicates are noted by the parser ({@link WireDefects}): JAIN-SIP's request
 * object no longer shows them. A bad ACK is dropped (an ACK is never answered). Answers go through
 * a server transaction where JAIN-SIP makes one, so retransmissions of the request are absorbed.
 * Stateless: called on any JAIN-SIP thread.
 */
final class RequestScreen {
  private static final Logger log = LoggerFactory.getLogger(RequestScreen.class);

  /** The option tags a request may require of the bridge: session timers (RFC 4028). */
  static final Set<String> SUPPORTED_OPTIONS = Set.of("timer");

  private final SipMessages messages;

  RequestScreen(SipMessages messages) {
    this.messages = messages;
  }

  /** Why a request is refused, as its answer. */
  private record Refusal(int status, String reason, String why, List<String> unsupported) {
    /** A request that breaks RFC 3261's grammar or rules, not one asking for what we lack. */
    boolean malformed() {
      return status == Response.BAD_REQUEST || status == Response.VERSION_NOT_SUPPORTED;
    }
  }

  /**
   * Whether {@code event}'s request may go on to its handler; when not, it has been answered (or,
   * for an ACK, dropped) here.
   */
  boolean admits(RequestEvent event) {
    Request request = event.getRequest();
    Optional<Refusal> refusal = refusal(request);
    if (refusal.isEmpty()) {
      return true;
    }
    String source =
        event instanceof RequestEventExt ext
            ? ext.getRemoteIpAddress() + ":" + ext.getRemotePort()
            : "?";
    SipProvider provider = (SipProvider) event.getSource();
    if (refusal.get().malformed()) {
      StackHooks.of(provider.getSipStack().getStackName())
          .wire()
          .malformed(
              source,
              provider.getListeningPoints()[0].getTransport().toLowerCase(Locale.ROOT),
              refusal.get().why() + " (" + refusal.get().status() + ")");
    } else {
      log.debug(
          "{} from {} refused: {} {}",
          request.getMethod(),
          source,
          refusal.get().status(),
          refusal.get().why());
    }
    if (Request.ACK.equals(request.getMethod())) {
      return false; // RFC 3261 §17.1.1.3: an ACK gets no response
    }
    try {
      answer(event, refusal.get());
    } catch (Exception e) {
      log.info("cannot refuse {} from {}: {}", request.getMethod(), source, e.toString());
    }
    return false;
  }

  private Optional<Refusal> refusal(Request request) {
    Optional<WireDefects> defects = WireDefects.of(request);
    if (defects.isPresent() && defects.get().version().isPresent()) {
      return Optional.of(
          new Refusal(
              Response.VERSION_NOT_SUPPORTED,
              null,
              defects.get().version().get() + " not supported",
              List.of()));
    }
    if (defects.isPresent() && !defects.get().duplicated().isEmpty()) {
      return Optional.of(
          new Refusal(
              Response.BAD_REQUEST,
              null,
              "more than one " + String.join(", ", defects.get().duplicated()),
              List.of()));
    }
    if (Request.INVITE.equals(request.getMethod())
        && request.getHeader(ContactHeader.NAME) == null) {
      return Optional.of(
          new Refusal(
              Response.BAD_REQUEST, "Missing Contact", "an INVITE needs a Contact", List.of()));
    }
    String scheme = request.getRequestURI().getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return Optional.of(
          new Refusal(
              Response.UNSUPPORTED_URI_SCHEME,
              null,
              "Request-URI scheme " + scheme + " not supported",
              List.of()));
    }
    if (!Request.ACK.equals(request.getMethod()) && !Request.CANCEL.equals(request.getMethod())) {
      List<String> unsupported = unsupported(request);
      if (!unsupported.isEmpty()) {
        return Optional.of(
            new Refusal(
                Response.BAD_EXTENSION,
                null,
                "unsupported " + String.join(", ", unsupported),
                unsupported));
      }
    }
    return Optional.empty();
  }

  /** The option tags of the request's Require headers that the bridge does not support. */
  private static List<String> unsupported(Request request) {
    List<String> tags = new ArrayList<>();
    for (Iterator<?> it = request.getHeaders(RequireHeader.NAME); it.hasNext(); ) {
      String tag = ((RequireHeader) it.next()).getOptionTag();
      if (tag != null && !SUPPORTED_OPTIONS.contains(tag.toLowerCase(Locale.ROOT))) {
        tags.add(tag);
      }
    }
    return tags;
  }

  private void answer(RequestEvent event, Refusal refusal) throws Exception {
    Request request = event.getRequest();
    Response response = messages.refusal(request, refusal.status(), refusal.why());
    if (refusal.reason() != null) {
      response.setReasonPhrase(refusal.reason());
    }
    for (String tag : refusal.unsupported()) {
      response.addHeader(messages.headers().createUnsupportedHeader(tag));
    }
    SipProvider provider = (SipProvider) event.getSource();
    ServerTransaction transaction = event.getServerTransaction();
    if (transaction == null) {
      try {
        transaction = provider.getNewServerTransaction(request);
      } catch (TransactionAlreadyExistsException e) {
        return; // a retransmission: its transaction answers it
      } catch (TransactionUnavailableException e) {
        // JAIN-SIP makes no transaction for some requests it finds incomplete (an INVITE
        // without Contact): answered statelessly, a retransmission is answered again.
        provider.sendResponse(response);
        return;
      }
    }
    transaction.sendResponse(response);
  }
}

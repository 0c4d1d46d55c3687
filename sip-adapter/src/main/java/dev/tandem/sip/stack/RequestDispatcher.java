package dev.tandem.sip.stack;

import dev.tandem.core.vocabulary.LoggingKeys;
import dev.tandem.sip.options.OptionsHandler;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one JAIN-SIP listener of the stack: puts the SIP Call-ID in the logging context, gives each
 * request a server transaction and hands it to the handler for its method. A method nobody handles
 * gets 405 with {@code Allow} (RFC 3261 §8.2.1); a handler that fails gets 500, and the failure
 * stays inside its own transaction.
 */
final class RequestDispatcher implements SipListenerExt {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
  static final String MDC_CALL_ID = LoggingKeys.SIP_CALL_ID;

  private final SipMessages messages;
  private final Map<String, RequestHandler> handlers = new LinkedHashMap<>();
  private final List<String> allowedMethods;
  private final ClientEvents clientEvents;
  private final RequestScreen screen;

  /**
   * @param handlers one handler per method; OPTIONS is always answered, listing these methods
   */
  RequestDispatcher(
      SipMessages messages, List<RequestHandler> handlers, ClientEvents clientEvents) {
    this.messages = messages;
    this.clientEvents = clientEvents;
    this.screen = new RequestScreen(messages);
    for (RequestHandler handler : handlers) {
      if (this.handlers.put(handler.method(), handler) != null) {
        throw new IllegalArgumentException("two handlers for " + handler.method());
      }
    }
    List<String> allowed = new ArrayList<>(this.handlers.keySet());
    allowed.add(Request.OPTIONS);
    if (!allowed.contains(Request.ACK)) {
      allowed.add(Request.ACK);
    }
    this.allowedMethods = List.copyOf(allowed);
    this.handlers.putIfAbsent(Request.OPTIONS, new OptionsHandler(messages, allowedMethods));
  }

  /** The methods named in {@code Allow}: every handled method, OPTIONS, and ACK. */
  List<String> allowedMethods() {
    return allowedMethods;
  }

  @Override
  public void processRequest(RequestEvent event) {
    Request request = event.getRequest();
    CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
    MDC.put(MDC_CALL_ID, callId == null ? "-" : callId.getCallId());
    try {
      if (!screen.admits(event)) {
        return;
      }
      log.debug("<- {} {}", request.getMethod(), request.getRequestURI());
      if (Request.ACK.equals(request.getMethod())) {
        // RFC 3261 §17.2.1: an ACK for a non-2xx is absorbed by the transaction. An ACK for a 2xx
        // goes to the ACK handler, if any (it may carry the answer to an offer in our 2xx, RFC
        // 3264 §5); it never gets a response.
        RequestHandler ack = handlers.get(Request.ACK);
        if (ack != null) {
          handle(ack, event, null);
        }
        return;
      }
      if (Request.OPTIONS.equals(request.getMethod())
          && request.getHeader(MaxForwardsHeader.NAME) == null) {
        // a keepalive (Kamailio's usrloc pings) without Max-Forwards, which JAIN-SIP takes no
        // transaction for: answered statelessly, as a keepalive expects
        handle(handlers.get(Request.OPTIONS), event, null);
        return;
      }
      ServerTransaction transaction = transactionFor(event);
      if (transaction == null) {
        return;
      }
      RequestHandler handler = handlers.get(request.getMethod());
      if (handler == null) {
        Response notAllowed = messages.response(request, Response.METHOD_NOT_ALLOWED);
        messages.allow(notAllowed, allowedMethods());
        transaction.sendResponse(notAllowed);
        return;
      }
      handle(handler, event, transaction);
    } catch (Exception e) {
      log.warn("cannot answer {}: {}", request.getMethod(), e.toString());
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  private void handle(RequestHandler handler, RequestEvent event, ServerTransaction transaction)
      throws Exception {
    try {
      handler.handle(event, transaction);
    } catch (RuntimeException e) {
      log.error("{} handler failed", handler.method(), e);
      if (transaction == null) {
        return; // an ACK: no response
      }
      transaction.sendResponse(
          messages.response(event.getRequest(), Response.SERVER_INTERNAL_ERROR));
    }
  }

  private static ServerTransaction transactionFor(RequestEvent event) throws Exception {
    if (event.getServerTransaction() != null) {
      return event.getServerTransaction();
    }
    try {
      return ((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest());
    } catch (TransactionAlreadyExistsException e) {
      // A retransmission that raced its transaction's creation: the transaction answers it.
      log.debug("retransmission absorbed: {}", e.getMessage());
      return null;
    }
  }

  @Override
  public void processResponse(ResponseEvent event) {
    CallIdHeader callId = (CallIdHeader) event.getResponse().getHeader(CallIdHeader.NAME);
    MDC.put(MDC_CALL_ID, callId == null ? "-" : callId.getCallId());
    try {
      log.debug("<- {}", event.getResponse().getStatusCode());
      owner(event.getClientTransaction()).response(event);
    } catch (RuntimeException e) {
      log.error("handling a {} failed", event.getResponse().getStatusCode(), e);
    } finally {
      MDC.remove(MDC_CALL_ID);
    }
  }

  /**
   * Who handles a client transaction's responses: its owner when the owner is itself a {@link
   * ClientEvents} (an upstream registration), else the call handling.
   */
  private ClientEvents owner(ClientTransaction transaction) {
    return transaction != null && transaction.getApplicationData() instanceof ClientEvents owner
        ? owner
        : clientEvents;
  }

  @Override
  public void processTimeout(TimeoutEvent event) {
    log.debug("transaction timeout: {}", event.getTimeout());
    try {
      owner(event.isServerTransaction() ? null : event.getClientTransaction()).timeout(event);
    } catch (RuntimeException e) {
      log.error("handling a timeout failed", e);
    }
  }

  @Override
  public void processDialogTimeout(DialogTimeoutEvent event) {
    log.debug("dialog timeout: {}", event.getReason());
    try {
      clientEvents.dialogTimeout(event);
    } catch (RuntimeException e) {
      log.error("handling a dialog timeout failed", e);
    }
  }

  @Override
  public void processIOException(IOExceptionEvent event) {
    log.info(
        "SIP transport error towards {}:{}/{}",
        event.getHost(),
        event.getPort(),
        event.getTransport());
  }

  @Override
  public void processTransactionTerminated(TransactionTerminatedEvent event) {
    // Nothing is attached to transactions yet.
  }

  @Override
  public void processDialogTerminated(DialogTerminatedEvent event) {
    // Dialogs are created by the call handling, which tracks their end itself.
  }
}

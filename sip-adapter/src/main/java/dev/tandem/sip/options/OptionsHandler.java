package dev.tandem.sip.options;

import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipMessages;
import java.util.List;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers OPTIONS with 200 OK and the bridge's capabilities (RFC 3261 §11.2): the methods it
 * handles, the body types it accepts. Trunks and proxies use OPTIONS as a keepalive, so this stays
 * cheap and never touches a call; a keepalive without a transaction (no Max-Forwards, as Kamailio's
 * usrloc pings are) is answered statelessly.
 */
public final class OptionsHandler implements RequestHandler {
  private final SipMessages messages;
  private final List<String> allowedMethods;

  /**
   * @param allowedMethods the methods the bridge handles, for the {@code Allow} header
   */
  public OptionsHandler(SipMessages messages, List<String> allowedMethods) {
    this.messages = messages;
    this.allowedMethods = List.copyOf(allowedMethods);
  }

  @Override
  public String method() {
    return Request.OPTIONS;
  }

  @Override
  public void handle(RequestEvent event, ServerTransaction transaction) throws Exception {
    Response ok = messages.response(event.getRequest(), Response.OK);
    messages.allow(ok, allowedMethods);
    ok.setHeader(messages.headers().createAcceptHeader("application", "sdp"));
    ok.setHeader(messages.headers().createAcceptLanguageHeader(java.util.Locale.ENGLISH));
    if (transaction != null) {
      transaction.sendResponse(ok);
    } else {
      ((SipProvider) event.getSource()).sendResponse(ok); // stateless: a keepalive
    }
  }
}

package dev.tandem.sip.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * JAIN-SIP's router ({@code javax.sip.ROUTER_PATH}): a request in a dialog whose peer is behind NAT
 * ({@link Flow}) and that has no route set goes to the peer's flow; everything else as JAIN-SIP's
 * {@link DefaultRouter} sends it (the first Route, else the Request-URI; RFC 3261 §8.1.2). The
 * dialog is found by the request's own ids, so the flow lives and ends with the dialog it belongs
 * to and nothing needs cleaning up.
 */
public final class FlowRouter implements Router {
  private final SIPTransactionStack stack;
  private final DefaultRouter standard;

  /** The constructor JAIN-SIP calls by reflection. */
  public FlowRouter(SipStack stack, String outboundProxy) {
    this.stack = (SIPTransactionStack) stack;
    this.standard = new DefaultRouter(stack, outboundProxy);
  }

  @Override
  public Hop getNextHop(Request request) throws SipException {
    if (request.getHeader(RouteHeader.NAME) == null && request instanceof SIPRequest sip) {
      Optional<Flow> flow = flowOf(sip);
      if (flow.isPresent()) {
        return flow.get().hop();
      }
    }
    return standard.getNextHop(request);
  }

  private Optional<Flow> flowOf(SIPRequest request) {
    if (request.getToTag() == null || request.getFromTag() == null) {
      return Optional.empty(); // not in a dialog
    }
    String id = request.getDialogId(false); // a request we send: From is our side
    SIPDialog dialog = stack.getDialog(id);
    if (dialog == null) {
      dialog = stack.getDialog(id.toLowerCase(Locale.ROOT));
    }
    if (dialog != null && dialog.getApplicationData() instanceof Flow.Holder holder) {
      return holder.flow();
    }
    return Optional.empty();
  }

  @Override
  public Hop getOutboundProxy() {
    return standard.getOutboundProxy();
  }

  @Override
  @Deprecated
  @SuppressWarnings("rawtypes")
  public ListIterator getNextHops(Request request) {
    return standard.getNextHops(request);
  }
}

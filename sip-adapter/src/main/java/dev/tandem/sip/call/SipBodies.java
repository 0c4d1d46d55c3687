package dev.tandem.sip.call;

import dev.tandem.sip.HostPort;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ReasonHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the bridge needs from SIP messages, and sends the one in-dialog request legs share.
 */
final class SipBodies {
  private static final Logger log = LoggerFactory.getLogger(SipBodies.class);

  private SipBodies() {}

  /** Ends {@code dialog} with a BYE (RFC 3261 §15.1.1); failures are logged, never thrown. */
  static void sendBye(Dialog dialog, SipProvider provider, LegContext context, ContactHeader ours) {
    context.io(
        () -> {
          Request bye = inDialog(dialog, Request.BYE, ours);
          dialog.sendRequest(provider.getNewClientTransaction(bye));
          log.info("BYE sent");
        });
  }

  /**
   * A request in {@code dialog} sent from this side's address: JAIN-SIP's Via carries the listen
   * point's fallback address and its Contact the listening (maybe wildcard) address, so the Via
   * sent-by becomes the host and port of {@code ours} (the Contact this side gave the dialog,
   * written by {@link dev.tandem.sip.stack.Advertised} toward this peer) and a target refresh (RFC
   * 3261 §12.2.1.1: INVITE, UPDATE; RFC 3515: REFER, NOTIFY) carries {@code ours}.
   */
  static Request inDialog(Dialog dialog, String method, ContactHeader ours) throws Exception {
    Request request = dialog.createRequest(method);
    if (ours != null && ours.getAddress().getURI() instanceof SipURI uri) {
      ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
      via.setHost(HostPort.bare(uri.getHost()));
      via.setPort(uri.getPort());
      via.setRPort();
      if (TARGET_REFRESH.contains(method)) {
        request.setHeader(ours);
      }
    }
    return request;
  }

  private static final Set<String> TARGET_REFRESH =
      Set.of(Request.INVITE, Request.UPDATE, Request.REFER, Request.NOTIFY);

  /** The SDP body, if the message carries one (RFC 3261 §13.2.1: application/sdp). */
  static Optional<String> sdp(Message message) {
    ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
    byte[] body = message.getRawContent();
    if (type == null
        || body == null
        || body.length == 0
        || !"application".equalsIgnoreCase(type.getContentType())
        || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
      return Optional.empty();
    }
    return Optional.of(new String(body, StandardCharsets.UTF_8));
  }

  /** A {@code Reason} header's text (RFC 3326), for logs and the browser. */
  static Optional<String> reason(Message message) {
    ReasonHeader reason = (ReasonHeader) message.getHeader(ReasonHeader.NAME);
    if (reason == null) {
      return Optional.empty();
    }
    return Optional.of(reason.getProtocol() + " " + reason.getCause() + " " + reason.getText());
  }

  /**
   * Whether a CANCEL's {@code Reason} says the call was completed elsewhere: {@code SIP;cause=200}
   * (RFC 3326 §2; a forking proxy sends it when another branch answered, RFC 3261 §16.7 step 10).
   */
  static boolean answeredElsewhere(Message message) {
    java.util.ListIterator<?> reasons = message.getHeaders(ReasonHeader.NAME);
    while (reasons.hasNext()) {
      if (reasons.next() instanceof ReasonHeader r
          && "SIP".equalsIgnoreCase(r.getProtocol())
          && r.getCause() == 200) {
        return true;
      }
    }
    return false;
  }
}

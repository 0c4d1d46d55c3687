package dev.tandem.sip.call;

import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * core's answer or error. At most one re-INVITE each way is pending. Core's commands run on the
 * sending thread and do nothing once the leg says the dialog is over.
 */
final class EstablishedDialog {
  private static final Logger log = LoggerFactory.getLogger(EstablishedDialog.class);

  private final Dialog dialog;
  private final SipProvider provider;
  private final Providers providers;
  private final SipMessages messages;
  private final ContactHeader contact;
  private final Supplier<SipLegListener> listener;
  private final BooleanSupplier live;
  private ClientTransaction ours;
  private ServerTransaction theirs;

  /**
   * @param contact this side's Contact, for re-INVITEs and their 200s
   * @param live whether the dialog still stands (no BYE either way)
   */
  EstablishedDialog(
      Dialog dialog,
      SipProvider provider,
      Providers providers,
      SipMessages messages,
      ContactHeader contact,
      Supplier<SipLegListener> listener,
      BooleanSupplier live) {
    this.dialog = dialog;
    this.provider = provider;
    this.providers = providers;
    this.messages = messages;
    this.contact = contact;
    this.listener = listener;
    this.live = live;
  }

  // --- DTMF -------------------------------------------------------------------------------

  /** Core's digits, one INFO each, paced (see {@link DtmfInfo#pace}). */
  void dtmf(String digits, Duration tone) {
    DtmfInfo.pace(
        digits,
        tone,
        providers,
        digit -> {
          if (live.getAsBoolean()) {
            DtmfInfo.send(dialog, provider, digit, tone);
          }
        });
  }

  /** A digit the peer sent in an INFO (already answered 200). */
  void onDtmf(DtmfInfo.Digit digit) {
    listener.get().on(new SipLegEvent.Dtmf(digit.digit(), digit.duration()));
  }

  // --- re-INVITE --------------------------------------------------------------------------

  /** Core's re-offer, on the sending thread. */
  void reinvite(String sdp) {
    providers.send(
        () -> {
          if (live.getAsBoolean()) {
            send(sdp);
          }
        });
  }

  /** Core's answer to the peer's pending re-INVITE, on the sending thread. */
  void acceptReinvite(String sdp) {
    providers.send(() -> accept(sdp));
  }

  /** Core's refusal of the peer's pending re-INVITE, on the sending thread. */
  void rejectReinvite(int status, String reason) {
    providers.send(() -> reject(status, reason));
  }

  /** Sends a re-INVITE with {@code sdp}; failures become a {@code ReinviteFailed}. */
  private synchronized void send(String sdp) {
    try {
      Request invite = dialog.createRequest(Request.INVITE);
      invite.setHeader(contact);
      invite.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
      ClientTransaction transaction = provider.getNewClientTransaction(invite);
      transaction.setApplicationData(this);
      ours = transaction;
      dialog.sendRequest(transaction);
      log.info("re-INVITE sent");
    } catch (Exception e) {
      log.warn("cannot send re-INVITE: {}", e.toString());
      listener.get().on(new SipLegEvent.ReinviteFailed(500, "cannot send re-INVITE"));
    }
  }

  /** A response to our re-INVITE: a 2xx is ACKed and its answer goes to core. */
  void onResponse(Response response, ClientTransaction transaction) {
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    synchronized (this) {
      if (transaction != ours) {
        if (status < 300) {
          ack(response); // a retransmitted 2xx
        }
        return;
      }
      ours = null;
    }
    if (status < 300) {
      ack(response);
      Optional<String> sdp = SipBodies.sdp(response);
      listener
          .get()
          .on(
              sdp.isPresent()
                  ? new SipLegEvent.ReinviteAnswered(sdp.get())
                  : new SipLegEvent.ReinviteFailed(488, "2xx to re-INVITE without SDP"));
    } else {
      listener.get().on(new SipLegEvent.ReinviteFailed(status, response.getReasonPhrase()));
    }
  }

  /** Our re-INVITE got no final response (Timer B). */
  void onTimeout(ClientTransaction transaction) {
    synchronized (this) {
      if (transaction != ours) {
        return;
      }
      ours = null;
    }
    listener.get().on(new SipLegEvent.ReinviteFailed(408, "Request Timeout"));
  }

  private void ack(Response response) {
    try {
      long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
      dialog.sendAck(dialog.createAck(cseq));
    } catch (Exception e) {
      log.warn("cannot ACK the 2xx to our re-INVITE: {}", e.toString());
    }
  }

  /**
   * The peer's re-INVITE or UPDATE (RFC 3311) with a new offer: a re-INVITE gets 100 at once, then
   * core decides and answers it. An UPDATE without SDP (a session refresh) is answered 200 here; a
   * re-INVITE without SDP (an offer wanted in our 2xx) is refused; one while another is pending
   * gets 491.
   */
  void receive(Request request, ServerTransaction transaction) throws Exception {
    Optional<String> sdp = SipBodies.sdp(request);
    boolean update = Request.UPDATE.equals(request.getMethod());
    synchronized (this) {
      if (update && sdp.isEmpty()) {
        transaction.sendResponse(messages.response(request, Response.OK));
        return;
      }
      if (theirs != null) {
        transaction.sendResponse(messages.response(request, Response.REQUEST_PENDING));
        return;
      }
      if (sdp.isEmpty()) {
        Response refused = messages.response(request, Response.NOT_ACCEPTABLE_HERE);
        refused.addHeader(
            messages
                .headers()
                .createWarningHeader(
                    "tandem", 399, "re-INVITE without an SDP offer not supported"));
        transaction.sendResponse(refused);
        return;
      }
      theirs = transaction;
      if (!update) {
        transaction.sendResponse(messages.response(request, Response.TRYING));
      }
    }
    listener.get().on(new SipLegEvent.Reinvite(sdp.get()));
  }

  private synchronized void accept(String sdp) {
    ServerTransaction transaction = theirs;
    theirs = null;
    if (transaction == null) {
      return;
    }
    try {
      Response ok = messages.response(transaction.getRequest(), Response.OK);
      ok.setHeader(contact);
      ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), sdpType());
      transaction.sendResponse(ok);
    } catch (Exception e) {
      log.warn("cannot answer the re-INVITE: {}", e.toString());
    }
  }

  private synchronized void reject(int status, String reason) {
    ServerTransaction transaction = theirs;
    theirs = null;
    if (transaction == null) {
      return;
    }
    try {
      Response refused = messages.response(transaction.getRequest(), status);
      refused.setReasonPhrase(reason);
      transaction.sendResponse(refused);
    } catch (Exception e) {
      log.warn("cannot refuse the re-INVITE: {}", e.toString());
    }
  }

  private ContentTypeHeader sdpType() throws java.text.ParseException {
    return messages.headers().createContentTypeHeader("application", "sdp");
  }
}

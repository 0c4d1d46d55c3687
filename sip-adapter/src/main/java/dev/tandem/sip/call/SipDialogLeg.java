package dev.tandem.sip.call;

import dev.tandem.sip.stack.Flow;
import javax.sip.message.Request;

/**
 * A leg that owns a dialog: the dispatcher finds it from an in-dialog request, and the stack's
 * router asks it where the dialog's requests go ({@link Flow.Holder}).
 */
interface SipDialogLeg extends Flow.Holder {
  /** The call's ids for the logging context (the bridge's call id, the SIP Call-ID). */
  java.util.Map<String, String> logging();

  /** The peer sent BYE (already answered 200). */
  void onBye(Request bye);

  /** The peer sent a DTMF digit in an INFO (already answered 200). */
  void onDtmf(DtmfInfo.Digit digit);

  /** The peer asked for a key frame in an INFO picture_fast_update (already answered 200). */
  void onKeyframeWanted();

  /** The peer sent a re-INVITE in this dialog. */
  void onReinvite(Request request, javax.sip.ServerTransaction transaction) throws Exception;

  /** The peer's ACK for a 2xx of ours in this dialog (it may carry an answer, RFC 3264 §5). */
  void onAck(Request ack);

  /** The peer sent a NOTIFY in this dialog (a REFER's progress). */
  void onNotify(Request notify, javax.sip.ServerTransaction transaction) throws Exception;

  /** The peer sent a REFER in this dialog. */
  void onRefer(Request refer, javax.sip.ServerTransaction transaction) throws Exception;
}

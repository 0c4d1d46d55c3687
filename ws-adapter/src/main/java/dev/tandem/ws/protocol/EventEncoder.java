package dev.tandem.ws.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.browser.SdpType;
import dev.tandem.core.vocabulary.EndReason;
import java.util.Locale;
import java.util.Optional;

/** Turns each core event into its notification frame; one method name per event type. */
public final class EventEncoder {
  private EventEncoder() {}

  public static String encode(BrowserEvent event) {
    ObjectNode params = RpcCodec.object();
    params.put("callId", event.callId().value());
    String method;
    if (event instanceof BrowserEvent.Incoming e) {
      method = "call.incoming";
      params.put("from", e.from());
      // a SIP late offer has no SDP: the browser makes the offer in call.answer
      e.sdp()
          .ifPresentOrElse(sdp -> params.put("sdp", sdp), () -> params.put("browserOffers", true));
      params.put("dtmf", e.dtmf().wireName());
      ObjectNode caller = params.putObject("caller");
      caller.put("user", e.caller().user());
      e.caller().displayName().ifPresent(name -> caller.put("displayName", name));
      e.caller().uri().ifPresent(uri -> caller.put("uri", uri));
    } else if (event instanceof BrowserEvent.Ringing) {
      method = "call.ringing";
    } else if (event instanceof BrowserEvent.Progress e) {
      method = "call.progress";
      e.sdp().ifPresent(sdp -> params.put("sdp", sdp));
    } else if (event instanceof BrowserEvent.Answered e) {
      method = "call.answered";
      params.put("sdp", e.sdp());
      params.put("dtmf", e.dtmf().wireName());
    } else if (event instanceof BrowserEvent.Candidate e) {
      method = "call.candidate";
      putCandidate(params, e.candidate());
    } else if (event instanceof BrowserEvent.Update e) {
      method = "call.update";
      params.put("type", wireName(e.type()));
      if (e.type() != SdpType.ROLLBACK) {
        params.put("sdp", e.sdp());
      }
    } else if (event instanceof BrowserEvent.Dtmf e) {
      method = "call.dtmf";
      params.put("digit", String.valueOf(e.digit()));
    } else if (event instanceof BrowserEvent.TransferProgress e) {
      method = "call.transfer";
      params.put("status", e.status());
      params.put("reason", e.reason());
      params.put("state", e.status() < 200 ? "trying" : e.status() < 300 ? "succeeded" : "failed");
    } else if (event instanceof BrowserEvent.Referred e) {
      method = "call.referred";
      params.put("referId", e.referId());
      params.put("to", e.to());
      params.put("uri", e.uri());
    } else if (event instanceof BrowserEvent.Ended e) {
      method = "call.ended";
      params.put("reason", wireName(e.reason()));
      e.sipCode().ifPresent(code -> params.put("sipCode", code));
      e.sipReason().ifPresent(reason -> params.put("sipReason", reason));
    } else {
      throw new IllegalArgumentException("no encoding for " + event);
    }
    return RpcCodec.notification(method, params);
  }

  /** {@code REMOTE_HANGUP} → {@code remote-hangup}. */
  public static String wireName(EndReason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static String wireName(SdpType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }

  private static void putCandidate(ObjectNode params, Optional<IceCandidate> candidate) {
    if (candidate.isEmpty()) {
      params.putNull("candidate");
      return;
    }
    IceCandidate c = candidate.get();
    ObjectNode node = params.putObject("candidate");
    node.put("candidate", c.candidate());
    c.sdpMid().ifPresentOrElse(mid -> node.put("sdpMid", mid), () -> node.putNull("sdpMid"));
    if (c.sdpMLineIndex().isPresent()) {
      node.put("sdpMLineIndex", c.sdpMLineIndex().getAsInt());
    } else {
      node.putNull("sdpMLineIndex");
    }
    c.usernameFragment().ifPresent(ufrag -> node.put("usernameFragment", ufrag));
  }
}

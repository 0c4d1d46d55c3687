package dev.tandem.core.call;

import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.vocabulary.CallId;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-frame requests between a browser and a SIP video peer that has no RTCP feedback, for one
 * answered call: SIP INFO {@code picture_fast_update} (RFC 5168) both ways.
 *
 * <p>Toward SIP: the media backend says the browser asked (a PLI or FIR it cannot pass on as RTCP);
 * at most one INFO per {@link BridgeContext#keyframeRequestInterval} goes out (browsers ask for
 * every lost frame), and none once the peer refused one (415 Unsupported Media Type, 501, any final
 * error or a timeout: such a peer takes none). From SIP: the peer's INFO (already answered 200)
 * becomes an RTCP PLI toward the browser, sent by the backend, at most one per interval too (a
 * peer's INFO flood does not become a key-frame flood). Runs on the signaling loop; owned by the
 * call.
 */
final class KeyframeRequests {
  private static final Logger log = LoggerFactory.getLogger(KeyframeRequests.class);

  private final CallId id;
  private final BridgeContext context;
  private final Supplier<DialogLeg> leg;
  private Instant last;
  private Instant lastFromSip;
  private boolean refused;

  /**
   * @param leg the call's SIP dialog once answered
   */
  KeyframeRequests(CallId id, BridgeContext context, Supplier<DialogLeg> leg) {
    this.id = id;
    this.context = context;
    this.leg = leg;
  }

  /** The browser wants a key frame of the SIP peer's video: an INFO, unless too soon or refused. */
  void wanted() {
    if (refused) {
      log.debug("key frame wanted; the SIP peer refuses INFO picture_fast_update");
      return;
    }
    Instant now = context.now();
    if (tooSoon(last, now)) {
      return; // the last INFO's key frame is on its way
    }
    last = now;
    log.debug("key frame wanted by the browser: INFO picture_fast_update to SIP");
    leg.get().requestKeyframe();
  }

  /** A key-frame event of the SIP leg; false when it is not one. */
  boolean onSip(SipLegEvent event) {
    if (event instanceof SipLegEvent.KeyframeWanted) {
      Instant now = context.now();
      if (!tooSoon(lastFromSip, now)) {
        lastFromSip = now;
        log.debug("INFO picture_fast_update from SIP: PLI toward the browser");
        context.media().requestKeyframe(id, Side.BROWSER);
      }
      return true;
    }
    if (event instanceof SipLegEvent.KeyframeRequestRefused r) {
      if (!refused) {
        log.info(
            "SIP peer refused INFO picture_fast_update ({} {}): no more for this call",
            r.status(),
            r.reason());
      }
      refused = true;
      return true;
    }
    return false;
  }

  private boolean tooSoon(Instant before, Instant now) {
    return before != null
        && Duration.between(before, now).compareTo(context.keyframeRequestInterval()) < 0;
  }
}

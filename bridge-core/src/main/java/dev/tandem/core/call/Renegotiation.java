package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SdpType;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.sip.DialogLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-offers in an answered browser ⇄ SIP call (hold, resume, a new address, a codec change), one at
 * a time, either way; every SDP goes through the media backend like the first ones.
 *
 * <pre>
 * state    event                                next     actions
 * IDLE     browser re-offer                     BROWSER  media offer; re-INVITE with the plain offer
 * BROWSER  2xx to the re-INVITE                 IDLE     media answer; browser: Update(answer)
 * BROWSER  491 (glare, RFC 3261 §14.1)          BROWSER  the same re-INVITE again after 2.1-4 s
 *                                                        (we own the Call-ID) or 0-2 s (we do not)
 * BROWSER  other failure, media failure         IDLE     browser: Update(rollback)
 * IDLE     re-INVITE from SIP                   SIP      media offer; browser: Update(offer);
 *                                                        answer timer
 * SIP      browser answer                       IDLE     media answer; SIP: 200 with it
 * SIP      media failure, answer timer          IDLE     SIP: 488 / 500
 * IDLE     changed answer in an ACK (our offer  SIP      media offer; browser: Update(offer); answer
 *          in a 2xx to a re-INVITE without SDP)          timer (no SIP answer is due: RFC 3264 §5)
 * SIP      browser answer (to the ACK's)        IDLE     media answer; nothing to SIP
 * SIP      media failure, timer (the ACK's)     IDLE     the call ends (the media cannot follow)
 * any      ACK without an answer                same     the call ends (RFC 3264 §5 needs one)
 * busy     changed answer in an ACK             same     logged: the renegotiation under way
 *                                                        carries the SIP side's current media
 * busy     re-INVITE from SIP                   same     SIP: 491 Request Pending
 * busy     browser re-offer                     same     refused: a renegotiation is under way
 * SIP      the call ends (either side's BYE)    IDLE     the pending re-INVITE/UPDATE gets 487
 *                                                        before our BYE (sip-adapter's dialog)
 * </pre>
 */
final class Renegotiation {
  private static final Logger log = LoggerFactory.getLogger(Renegotiation.class);
  static final Duration BROWSER_ANSWER_TIMEOUT = Duration.ofSeconds(10);

  enum State {
    IDLE,
    BROWSER,
    SIP
  }

  private final CallId id;
  private final BridgeContext context;
  private final MediaSteps media;
  private final boolean ownsCallId;
  private final java.util.function.Consumer<String> onMediaLost;
  private DialogLeg leg;
  private SessionId browser;
  private State state = State.IDLE;
  private String plainOffer;

  /** In {@link State#SIP}: whether a re-INVITE waits for our answer (not an ACK's answer). */
  private boolean answerDue;

  private Cancellable timer = Cancellable.NONE;

  /**
   * @param ownsCallId whether the bridge placed the call (RFC 3261 §14.1 glare back-off)
   * @param onMediaLost ends the call, saying why, when the SIP side agreed to media the backend
   *     cannot carry
   */
  Renegotiation(
      CallId id,
      BridgeContext context,
      MediaSteps media,
      boolean ownsCallId,
      java.util.function.Consumer<String> onMediaLost) {
    this.id = id;
    this.context = context;
    this.media = media;
    this.ownsCallId = ownsCallId;
    this.onMediaLost = onMediaLost;
  }

  /** The call is answered: from now on {@code browser} and {@code leg} may re-offer. */
  void established(SessionId browser, DialogLeg leg) {
    this.browser = browser;
    this.leg = leg;
  }

  boolean busy() {
    return state != State.IDLE;
  }

  /** The browser's {@code call.update}: a re-offer, or the answer to a re-offer from SIP. */
  Outcome browserUpdate(BrowserRequest.Update update) {
    boolean taken =
        switch (update.type()) {
          case OFFER -> browserOffer(update.sdp());
          case ANSWER -> browserAnswer(update.sdp());
          case ROLLBACK -> false;
        };
    if (taken) {
      return Outcome.done();
    }
    return Outcome.Refused.of(
        Refusal.INVALID_STATE,
        update.type() == SdpType.OFFER
            ? "a renegotiation of this call is under way"
            : "no re-offer of this call is waiting for an answer");
  }

  /** The browser's re-offer; false when one is already under way. */
  private boolean browserOffer(String sdp) {
    if (state != State.IDLE) {
      return false;
    }
    state = State.BROWSER;
    log.info("browser re-offer: re-INVITE");
    media.offer(
        Side.BROWSER,
        sdp,
        plain -> {
          if (state == State.BROWSER) {
            plainOffer = plain;
            leg.reinvite(plain);
          }
        },
        e -> rollback("media offer failed: " + e.getMessage()));
    return true;
  }

  /** The browser's answer to a re-offer from SIP; false when none is pending. */
  private boolean browserAnswer(String sdp) {
    if (state != State.SIP) {
      return false;
    }
    timer.cancel();
    media.answer(
        Side.BROWSER,
        sdp,
        plain -> {
          if (state == State.SIP) {
            state = State.IDLE;
            if (answerDue) {
              leg.acceptReinvite(plain);
            } else {
              log.info("media follows the SIP side's answer in the ACK");
            }
          }
        },
        e -> rejectSip(SipReasons.NOT_ACCEPTABLE_HERE, e.getMessage()));
    return true;
  }

  /** A re-INVITE event of the SIP leg; false when it is not one. */
  boolean onSip(SipLegEvent event) {
    if (event instanceof SipLegEvent.Reinvite reinvite) {
      sipOffer(reinvite.sdp(), true);
      return true;
    }
    if (event instanceof SipLegEvent.AnswerInAck ack) {
      if (ack.sdp().isEmpty()) {
        onMediaLost.accept("the SIP peer's ACK carried no SDP answer");
      } else if (state != State.IDLE) {
        log.info("changed SIP answer in an ACK during a renegotiation: that one carries it");
      } else {
        sipOffer(ack.sdp().get(), false);
      }
      return true;
    }
    if (event instanceof SipLegEvent.ReinviteAnswered answered && state == State.BROWSER) {
      media.answer(
          Side.SIP,
          answered.sdp(),
          webrtc -> {
            if (state == State.BROWSER) {
              state = State.IDLE;
              context.deliver(browser, new BrowserEvent.Update(id, SdpType.ANSWER, webrtc));
            }
          },
          e -> {
            state = State.IDLE;
            log.warn("the SIP side's answer to our re-INVITE is unusable: {}", e.getMessage());
            onMediaLost.accept("the SIP side's re-INVITE answer cannot be carried");
          });
      return true;
    }
    if (event instanceof SipLegEvent.ReinviteFailed failed && state == State.BROWSER) {
      if (failed.status() == SipReasons.REQUEST_PENDING.code()) {
        long millis =
            ownsCallId
                ? ThreadLocalRandom.current().nextLong(2100, 4001)
                : ThreadLocalRandom.current().nextLong(0, 2001);
        log.info("{} to our re-INVITE (glare): again in {} ms", failed.status(), millis);
        timer =
            context.schedule(
                id,
                Duration.ofMillis(millis),
                () -> {
                  if (state == State.BROWSER && plainOffer != null) {
                    leg.reinvite(plainOffer);
                  }
                });
      } else {
        rollback("re-INVITE refused: " + failed.status() + " " + failed.reason());
      }
      return true;
    }
    return false;
  }

  /**
   * The SIP side's new SDP goes to the browser as a re-offer: a re-INVITE's offer ({@code
   * answerDue}), or the changed answer in an ACK, which the relay and the browser must follow.
   */
  private void sipOffer(String sdp, boolean answerDue) {
    if (state != State.IDLE) {
      log.info("re-INVITE from SIP while a renegotiation is under way: Request Pending");
      leg.rejectReinvite(SipReasons.REQUEST_PENDING);
      return;
    }
    state = State.SIP;
    this.answerDue = answerDue;
    log.info(
        answerDue
            ? "re-INVITE from SIP: re-offer to the browser"
            : "changed SIP answer in an ACK: re-offer to the browser");
    timer =
        context.schedule(
            id,
            BROWSER_ANSWER_TIMEOUT,
            () ->
                rejectSip(
                    SipReasons.SERVER_INTERNAL_ERROR, "the browser did not answer the re-offer"));
    media.offer(
        Side.SIP,
        sdp,
        webrtc -> {
          if (state == State.SIP) {
            context.deliver(browser, new BrowserEvent.Update(id, SdpType.OFFER, webrtc));
          }
        },
        (MediaException e) ->
            rejectSip(
                e.badSdp() ? SipReasons.NOT_ACCEPTABLE_HERE : SipReasons.SERVER_INTERNAL_ERROR,
                e.getMessage()));
  }

  private void rejectSip(SipReasons.Status status, String why) {
    if (state != State.SIP) {
      return;
    }
    timer.cancel();
    state = State.IDLE;
    if (!answerDue) {
      onMediaLost.accept("the media cannot follow the SIP side's answer in its ACK: " + why);
      return;
    }
    log.info("re-INVITE from SIP refused with {}: {}", status.code(), why);
    leg.rejectReinvite(status);
  }

  private void rollback(String why) {
    if (state != State.BROWSER) {
      return;
    }
    state = State.IDLE;
    timer.cancel();
    log.info("browser re-offer not carried ({}): rollback", why);
    context.deliver(browser, new BrowserEvent.Update(id, SdpType.ROLLBACK, ""));
  }

  /** The call ended: no timer outlives it. */
  void stop() {
    timer.cancel();
    state = State.IDLE;
  }
}

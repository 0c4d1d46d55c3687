package dev.tandem.core.call;

import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.translate.Trickle;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a browser's description (offer or answer) that has no default address yet, until the
 * browser trickles its first UDP candidate, then passes it on with that candidate as its default
 * address (RFC 8839 §4.2.1.1).
 *
 * <p>Why: a browser that trickles sends its description before it has gathered anything, with
 * {@code c=IN IP4 0.0.0.0} (JSEP §5.2.1). rtpengine reads that as RFC 2543 hold and writes a held
 * ({@code a=sendonly}), address-less SDP toward the SIP side, so the phone never sends audio (seen
 * with Firefox, both directions). A description that already has an address goes on at once; one
 * that gets no candidate within {@link #WAIT} goes on as it is. Runs on the signaling loop; owned
 * by one call.
 *
 * <p>A description going end to end to a SIP peer that speaks WebRTC ({@code pass} with {@code
 * complete}) waits for all of the browser's candidates instead — SIP carries no trickle, so the
 * peer gets them in the SDP or not at all — until end-of-candidates, or {@link #COMPLETE_WAIT}.
 */
final class CandidateGate {
  private static final Logger log = LoggerFactory.getLogger(CandidateGate.class);

  /** How long a description without candidates waits for the browser's first one. */
  static final Duration WAIT = Duration.ofSeconds(2);

  /** How long a description going end to end waits for the browser's end-of-candidates. */
  static final Duration COMPLETE_WAIT = Duration.ofSeconds(5);

  private final CallId call;
  private final BridgeContext context;
  private SessionDescription held;
  private Consumer<String> send;
  private Cancellable timer = Cancellable.NONE;
  private boolean complete;

  CandidateGate(CallId call, BridgeContext context) {
    this.call = call;
    this.context = context;
  }

  /**
   * Passes {@code sdp} to {@code send} now, or once it has a default address; when {@code complete}
   * (for a peer that speaks WebRTC), once it has every candidate the browser gathers: when it
   * trickles end-of-candidates (at once when the description says it has them all).
   */
  void pass(String sdp, boolean complete, Consumer<String> send) {
    SessionDescription description;
    try {
      description = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      send.accept(sdp); // checked before; should it still fail, the media backend says why
      return;
    }
    this.held = description;
    this.send = send;
    this.complete = complete;
    if (complete) {
      if (Trickle.complete(description)) {
        release("it has all its candidates");
      } else {
        log.info("waiting up to {} ms for the browser's candidates", COMPLETE_WAIT.toMillis());
        timer = context.schedule(call, COMPLETE_WAIT, () -> release("candidates still coming"));
      }
    } else if (Trickle.hasDefaultAddresses(description)) {
      release("it has a default address");
    } else {
      log.info("description has no candidate yet: waiting up to {} ms for one", WAIT.toMillis());
      timer = context.schedule(call, WAIT, () -> release("no candidate in time"));
    }
  }

  /** A trickled candidate (empty: end-of-candidates) of the browser whose description is held. */
  void candidate(Optional<IceCandidate> candidate) {
    if (held == null) {
      return;
    }
    if (candidate.isEmpty()) {
      if (complete) {
        held = Trickle.endOfCandidates(held, Optional.empty());
      }
      release("end of candidates");
      return;
    }
    IceCandidate c = candidate.get();
    try {
      held =
          Trickle.addCandidate(
              held, c.sdpMid(), c.sdpMLineIndex().orElse(0), Candidate.parse(c.candidate()));
    } catch (IllegalArgumentException e) {
      log.debug("trickled candidate not merged: {}", e.getMessage());
      return;
    }
    if (!complete && Trickle.hasDefaultAddresses(held)) {
      release("first candidate");
    }
  }

  /** Drops a held description; nothing is passed on. */
  void cancel() {
    timer.cancel();
    held = null;
    send = null;
  }

  private void release(String why) {
    if (held == null) {
      return;
    }
    timer.cancel();
    String sdp = Trickle.withDefaultCandidates(held).toString();
    Consumer<String> to = send;
    held = null;
    send = null;
    log.debug("description passed on: {}", why);
    to.accept(sdp);
  }
}

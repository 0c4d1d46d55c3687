package dev.tandem.core.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound call tried at the destinations of a group in turn (serial failover): the next one is
 * tried when the current one cannot take the call — no answer (408), a server error (5xx) — but not
 * when the called party said no (4xx, 6xx: busy, declined, not found), which the next trunk would
 * say too. Destinations whose keepalive says they are down go last. Seen by core as one leg;
 * commands go to the destination being tried. A destination the SIP side fails at once, while it is
 * being placed, fails over like any other.
 */
public final class FailoverLeg implements OutboundLeg {
  private static final Logger log = LoggerFactory.getLogger(FailoverLeg.class);

  private final SipSide sip;
  private final List<OutboundInvite> remaining;
  private final SipLegListener listener;
  private OutboundLeg current;
  private int attempt;
  private boolean cancelled;

  private FailoverLeg(SipSide sip, List<OutboundInvite> invites, SipLegListener listener) {
    this.sip = sip;
    this.remaining = new ArrayList<>(invites);
    this.listener = listener;
  }

  /** Places the call at the first destination that is up, keeping the rest for failover. */
  public static OutboundLeg place(
      SipSide sip,
      List<OutboundInvite> invites,
      DestinationHealth health,
      SipLegListener listener) {
    if (invites.size() == 1) {
      return sip.invite(invites.get(0), listener);
    }
    List<OutboundInvite> ordered = new ArrayList<>();
    invites.stream().filter(i -> health.isUp(i.destination().name())).forEach(ordered::add);
    invites.stream().filter(i -> !health.isUp(i.destination().name())).forEach(ordered::add);
    FailoverLeg leg = new FailoverLeg(sip, ordered, listener);
    leg.next();
    return leg;
  }

  private void next() {
    OutboundInvite invite = remaining.remove(0);
    int mine = ++attempt;
    log.info("trying {} ({} more in the group)", invite.destination().name(), remaining.size());
    OutboundLeg leg = sip.invite(invite, event -> on(mine, invite, event));
    if (mine == attempt) {
      current = leg;
    } // else it failed while being placed and the next destination is current already
  }

  private void on(int from, OutboundInvite invite, SipLegEvent event) {
    if (from != attempt) {
      return; // a destination given up on
    }
    if (event instanceof SipLegEvent.Failed failed
        && SipReasons.failsOver(failed.status())
        && !remaining.isEmpty()
        && !cancelled) {
      log.info(
          "{} failed with {} {}: failing over",
          invite.destination().name(),
          failed.status(),
          failed.reason());
      next();
      return;
    }
    listener.on(event);
  }

  private OutboundLeg current() {
    return current;
  }

  @Override
  public void cancel() {
    cancelled = true;
    current().cancel();
  }

  @Override
  public void bye() {
    current().bye();
  }

  @Override
  public void dtmf(String digits, Duration toneDuration) {
    current().dtmf(digits, toneDuration);
  }

  @Override
  public void requestKeyframe() {
    current().requestKeyframe();
  }

  @Override
  public void reinvite(String sdp) {
    current().reinvite(sdp);
  }

  @Override
  public void acceptReinvite(String sdp) {
    current().acceptReinvite(sdp);
  }

  @Override
  public void rejectReinvite(int status, String reason) {
    current().rejectReinvite(status, reason);
  }

  @Override
  public void refer(String referTo) {
    current().refer(referTo);
  }

  @Override
  public Optional<String> replacingUri() {
    return current().replacingUri();
  }

  @Override
  public void notifyRefer(int status, String reason) {
    current().notifyRefer(status, reason);
  }
}

package dev.tandem.core.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound call placed at several targets at once (parallel forking, RFC 3261 §16.7), seen by
 * core as a single leg:
 *
 * <ul>
 *   <li>provisional responses of every branch are passed on;
 *   <li>the first 2xx wins: the other branches are cancelled, a branch that answers later gets BYE,
 *       and from then on only the winner's events are passed on and commands go to it alone;
 *   <li>a 6xx ends the search at once (the others are cancelled); otherwise, when every branch
 *       failed, the best failure is passed on (§16.7 step 6: a 6xx, else a response that says more
 *       than 408/480/5xx, e.g. 486 Busy, else the first).
 * </ul>
 *
 * Events arrive on any thread; the leg's state is guarded by its monitor.
 */
public final class ForkedLeg implements OutboundLeg {
  private static final Logger log = LoggerFactory.getLogger(ForkedLeg.class);

  private final SipLegListener listener;
  private final List<OutboundLeg> branches = new ArrayList<>();
  private final List<Boolean> done = new ArrayList<>();
  private SipLegEvent.Failed best;
  private int winner = -1;
  private boolean over;

  private ForkedLeg(SipLegListener listener) {
    this.listener = listener;
  }

  /**
   * Places {@code invites} through {@code sip}: one target is a plain leg, none fails at once with
   * 480 (the account is not registered), several fork.
   */
  public static OutboundLeg place(
      SipSide sip, List<OutboundInvite> invites, SipLegListener listener) {
    if (invites.size() == 1) {
      return sip.invite(invites.get(0), listener);
    }
    ForkedLeg fork = new ForkedLeg(listener);
    if (invites.isEmpty()) {
      fork.over = true;
      listener.on(new SipLegEvent.Failed(480, "Temporarily Unavailable (not registered)"));
      return fork;
    }
    synchronized (fork) {
      for (int i = 0; i < invites.size(); i++) {
        int branch = i;
        fork.done.add(false);
        fork.branches.add(sip.invite(invites.get(i), event -> fork.on(branch, event)));
      }
    }
    return fork;
  }

  private void on(int branch, SipLegEvent event) {
    SipLegEvent pass = null;
    synchronized (this) {
      if (winner >= 0) {
        if (branch == winner) {
          pass = event;
        } else if (event instanceof SipLegEvent.Answered) {
          log.info("fork branch {} answered after branch {}: BYE", branch, winner);
          branches.get(branch).bye();
        }
      } else if (!over) {
        pass = beforeAnswer(branch, event);
      }
    }
    if (pass != null) {
      listener.on(pass);
    }
  }

  private SipLegEvent beforeAnswer(int branch, SipLegEvent event) {
    if (event instanceof SipLegEvent.Provisional) {
      return event;
    }
    if (event instanceof SipLegEvent.Answered) {
      winner = branch;
      log.info("fork branch {} of {} answered", branch, branches.size());
      cancelAllBut(branch);
      return event;
    }
    if (event instanceof SipLegEvent.Failed failed) {
      done.set(branch, true);
      if (best == null || better(failed, best)) {
        best = failed;
      }
      if (failed.status() >= 600) {
        over = true;
        cancelAllBut(branch);
        return failed;
      }
      if (!done.contains(false)) {
        over = true;
        return best;
      }
    }
    return null;
  }

  private static boolean better(SipLegEvent.Failed candidate, SipLegEvent.Failed current) {
    return rank(candidate.status()) < rank(current.status());
  }

  private static int rank(int status) {
    if (status >= 600) {
      return 0;
    }
    if (status == 408 || status == 480 || status >= 500) {
      return 2;
    }
    return 1;
  }

  private void cancelAllBut(int branch) {
    for (int i = 0; i < branches.size(); i++) {
      if (i != branch && !done.get(i)) {
        branches.get(i).cancel();
      }
    }
  }

  private synchronized OutboundLeg answered() {
    return winner >= 0 ? branches.get(winner) : null;
  }

  @Override
  public void cancel() {
    List<OutboundLeg> all;
    synchronized (this) {
      all = List.copyOf(branches);
    }
    all.forEach(OutboundLeg::cancel);
  }

  @Override
  public void bye() {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.bye();
    }
  }

  @Override
  public void dtmf(String digits, Duration toneDuration) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.dtmf(digits, toneDuration);
    }
  }

  @Override
  public void reinvite(String sdp) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.reinvite(sdp);
    }
  }

  @Override
  public void acceptReinvite(String sdp) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.acceptReinvite(sdp);
    }
  }

  @Override
  public void rejectReinvite(int status, String reason) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.rejectReinvite(status, reason);
    }
  }

  @Override
  public void refer(String referTo) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.refer(referTo);
    }
  }

  @Override
  public java.util.Optional<String> replacingUri() {
    OutboundLeg leg = answered();
    return leg == null ? java.util.Optional.empty() : leg.replacingUri();
  }

  @Override
  public void notifyRefer(int status, String reason) {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.notifyRefer(status, reason);
    }
  }
}

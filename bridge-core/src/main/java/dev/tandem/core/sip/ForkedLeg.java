package dev.tandem.core.sip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound call placed at several targets at once (parallel forking, RFC 3261 §16.7), seen by
 * core as a single leg.
 *
 * <p>The fork is {@link Phase#SEARCHING} until one branch answers or it gives up; each branch is
 * {@link Branch#TRYING} (placed, or about to be) until its final response. All transitions are in
 * {@link #on}:
 *
 * <pre>
 * phase      event (branch b)    guard                    next       actions
 * SEARCHING  1xx                                          SEARCHING  pass on
 * SEARCHING  2xx                                          ANSWERED   CANCEL the other TRYING branches
 *                                                                    (unplaced ones stay unplaced);
 *                                                                    pass on
 * SEARCHING  6xx                                          FAILED     CANCEL the other TRYING
 *                                                                    branches; pass on
 * SEARCHING  3xx-5xx             another branch TRYING    SEARCHING  remember the best failure
 * SEARCHING  3xx-5xx             none TRYING              FAILED     pass on the best failure
 *                                                                    (§16.7 step 6: a 6xx, else one
 *                                                                    that says more than 408/480/5xx,
 *                                                                    e.g. 486, else the first)
 * ANSWERED   any (the winner)                             ANSWERED   pass on; commands go to it alone
 * ANSWERED   2xx (another)                                ANSWERED   BYE it (it crossed our CANCEL)
 * FAILED     2xx (any)                                    FAILED     BYE it (it crossed our CANCEL)
 * any        REFER (not the winner)                       same       final NOTIFY 603 Decline on that
 *                                                                    branch (no call to transfer)
 * ANSWERED+  anything else (a loser)                      same       dropped (its 487 after CANCEL)
 * </pre>
 *
 * <p>A branch that fails while it is being placed (the SIP side refuses it at once) is that
 * branch's failure like any other: branches not yet placed count as TRYING, so the fork goes on and
 * places them; once the fork is over, no further branch is placed, and one placed meanwhile is
 * cancelled.
 *
 * <p>Threading: like every leg, the fork lives on its call's owner (the signaling loop): core's
 * commands and its branches' events ({@link SipSide}'s contract) all arrive there, so it needs no
 * lock.
 */
public final class ForkedLeg implements OutboundLeg {
  private static final Logger log = LoggerFactory.getLogger(ForkedLeg.class);

  /** Where the fork as a whole is. */
  enum Phase {
    SEARCHING,
    ANSWERED,
    FAILED
  }

  /** Where one branch is. */
  enum Branch {
    /** Placed or about to be; no final response yet. */
    TRYING,
    /** A final non-2xx response. */
    FAILED,
    /** A 2xx. */
    ANSWERED
  }

  private final SipLegListener listener;
  private final OutboundLeg[] legs;
  private final Branch[] branches;
  private Phase phase = Phase.SEARCHING;
  private SipLegEvent.Failed best;
  private int winner = -1;

  private ForkedLeg(int size, SipLegListener listener) {
    this.listener = listener;
    this.legs = new OutboundLeg[size];
    this.branches = new Branch[size];
    Arrays.fill(branches, Branch.TRYING);
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
    ForkedLeg fork = new ForkedLeg(invites.size(), listener);
    if (invites.isEmpty()) {
      fork.phase = Phase.FAILED;
      listener.on(
          new SipLegEvent.Failed(
              SipReasons.TEMPORARILY_UNAVAILABLE.because(
                  "Temporarily Unavailable (not registered)")));
      return fork;
    }
    for (int i = 0; i < invites.size(); i++) {
      if (!fork.placing(i)) {
        break;
      }
      int branch = i;
      OutboundLeg leg = sip.invite(invites.get(i), event -> fork.on(branch, event));
      if (fork.placed(branch, leg)) {
        leg.cancel();
      }
    }
    return fork;
  }

  /** Whether branch {@code i} should still go out. */
  private boolean placing(int i) {
    if (phase != Phase.SEARCHING) {
      log.info("fork over before branch {} of {}: not placed", i, legs.length);
      return false;
    }
    return true;
  }

  /**
   * Records a placed branch; true when the fork ended while it went out and it must be CANCELled.
   */
  private boolean placed(int branch, OutboundLeg leg) {
    legs[branch] = leg;
    return phase != Phase.SEARCHING && branches[branch] == Branch.TRYING;
  }

  private void on(int branch, SipLegEvent event) {
    SipLegEvent pass = null;
    List<OutboundLeg> cancel = List.of();
    OutboundLeg bye = null;
    OutboundLeg refused = null;
    Phase before = phase;
    switch (phase) {
      case SEARCHING -> {
        if (event instanceof SipLegEvent.Provisional) {
          pass = event; // SEARCHING -> 1xx -> SEARCHING
        } else if (event instanceof SipLegEvent.Answered) {
          branches[branch] = Branch.ANSWERED; // SEARCHING -> 2xx -> ANSWERED
          winner = branch;
          phase = Phase.ANSWERED;
          cancel = trying();
          pass = event;
        } else if (event instanceof SipLegEvent.Failed failed) {
          branches[branch] = Branch.FAILED;
          if (best == null || better(failed, best)) {
            best = failed;
          }
          if (SipReasons.isGlobalFailure(failed.status())) {
            phase = Phase.FAILED; // SEARCHING -> 6xx -> FAILED (§16.7 step 5)
            cancel = trying();
            pass = failed;
          } else if (!Arrays.asList(branches).contains(Branch.TRYING)) {
            phase = Phase.FAILED; // SEARCHING -> the last failure -> FAILED
            pass = best;
          } // else SEARCHING -> a failure, others trying -> SEARCHING
        } else if (event instanceof SipLegEvent.Referred) {
          refused = legs[branch]; // a REFER in an early dialog: no call to transfer yet
        } else {
          log.warn("[{}] fork branch {}: unexpected {} dropped", phase, branch, event);
        }
      }
      case ANSWERED, FAILED -> {
        if (branch == winner) {
          pass = event; // ANSWERED -> the winner's event -> ANSWERED
        } else if (event instanceof SipLegEvent.Answered) {
          branches[branch] = Branch.ANSWERED; // a 2xx that crossed our CANCEL: BYE
          bye = legs[branch];
        } else if (event instanceof SipLegEvent.Failed) {
          branches[branch] = Branch.FAILED;
        } else if (event instanceof SipLegEvent.Referred) {
          refused = legs[branch]; // a losing branch's REFER
        } else {
          log.debug("[{}] fork branch {}: {} dropped", phase, branch, event);
        }
      }
    }
    if (phase != before) {
      log.info("fork [{}] --branch {}: {}--> [{}]", before, branch, event, phase);
    }
    cancel.forEach(OutboundLeg::cancel);
    if (bye != null) {
      log.info("fork branch {} answered after the fork ended: BYE", branch);
      bye.bye();
    }
    if (refused != null) {
      SipReasons.Status status = SipReasons.referDeclined();
      log.info("[{}] REFER on fork branch {} not followed: NOTIFY {}", phase, branch, status);
      refused.notifyRefer(status.code(), status.phrase());
    }
    if (pass != null) {
      listener.on(pass);
    }
  }

  /** The placed branches still waiting for a final response. */
  private List<OutboundLeg> trying() {
    List<OutboundLeg> trying = new ArrayList<>();
    for (int i = 0; i < legs.length; i++) {
      if (branches[i] == Branch.TRYING && legs[i] != null) {
        trying.add(legs[i]);
      }
    }
    return trying;
  }

  private static boolean better(SipLegEvent.Failed candidate, SipLegEvent.Failed current) {
    return SipReasons.forkRank(candidate.status()) < SipReasons.forkRank(current.status());
  }

  private OutboundLeg answered() {
    return winner >= 0 ? legs[winner] : null;
  }

  @Override
  public void cancel() {
    List<OutboundLeg> all;
    all = trying();
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
  public void requestKeyframe() {
    OutboundLeg leg = answered();
    if (leg != null) {
      leg.requestKeyframe();
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

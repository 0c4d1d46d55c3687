package dev.tandem.sip.call;

import java.util.List;

/**
 * The life of our INVITE as one table (RFC 3261 §13.2, §9.1 for CANCEL): {@link #next} maps a phase
 * and an input to the next phase and what to do, with no I/O, so that every row is tested alone.
 * {@link OutboundSipLeg} carries the actions out on the call's owner thread.
 *
 * <pre>
 * phase           input                   next            actions
 * SENDING         SENT                    CALLING         -
 * SENDING         CANCEL | BYE            CANCEL_WAITING  -         (§9.1: CANCEL waits for a 1xx)
 * SENDING|CALLING SEND_FAILED             TERMINATED      REPORT   (CALLING: opened, then refused)
 * CALLING|PROC.   PROVISIONAL             PROCEEDING      REPORT
 * CALLING         CANCEL | BYE            CANCEL_WAITING  -
 * PROCEEDING      CANCEL | BYE            CANCELLING      SEND_CANCEL
 * CANCEL_WAITING  SENT                    CANCEL_WAITING  -
 * CANCEL_WAITING  PROVISIONAL             CANCELLING      SEND_CANCEL
 * CANCELLING      PROVISIONAL             CANCELLING      -
 * CALLING|PROC.   ANSWERED                CONFIRMED       ACK, REPORT
 * CALLING|PROC.   ANSWERED_WITHOUT_SDP    TERMINATED      ACK, SEND_BYE, REPORT
 * CANCEL_W.|CANC. ANSWERED*               TERMINATED      ACK, SEND_BYE  (the CANCEL lost the race)
 * CONFIRMED|TERM. ANSWERED*               same            ACK            (a retransmitted 2xx)
 * CALLING|PROC.|  RETRY (422, 401/407)    SENDING         -
 * CALLING|PROC.   REJECTED | TIMEOUT      TERMINATED      REPORT
 * CANCEL_W.|CANC. REJECTED | TIMEOUT      TERMINATED      REPORT         (487 after our CANCEL)
 * CONFIRMED       BYE                     TERMINATED      SEND_BYE
 * CONFIRMED       PEER_BYE                TERMINATED      REPORT
 * CONFIRMED       EXPIRED                 TERMINATED      SEND_BYE, REPORT
 * any other pair                          unchanged       IGNORE (logged)
 * </pre>
 */
final class OutboundLegTable {
  private OutboundLegTable() {}

  enum Phase {
    /** The INVITE is on its way to the sending thread; no transaction yet. */
    SENDING,
    /** Sent, no provisional response yet. */
    CALLING,
    /** A provisional response came. */
    PROCEEDING,
    /** Core gave up before any provisional response: the CANCEL waits for one (§9.1). */
    CANCEL_WAITING,
    /** CANCEL sent; the INVITE's final response is still to come. */
    CANCELLING,
    /** Answered and ACKed: the dialog stands. */
    CONFIRMED,
    /** Over: failed, cancelled, or BYE either way. */
    TERMINATED
  }

  enum Input {
    SENT,
    SEND_FAILED,
    PROVISIONAL,
    ANSWERED,
    ANSWERED_WITHOUT_SDP,
    RETRY,
    REJECTED,
    TIMEOUT,
    /** Core's cancel (or its BYE before an answer). */
    CANCEL,
    /** Core's hang-up. */
    BYE,
    PEER_BYE,
    EXPIRED
  }

  enum Action {
    /** Tell core what happened (the input's own event). */
    REPORT,
    SEND_CANCEL,
    ACK,
    SEND_BYE,
    /** Nothing to do: an input that does not apply in this phase. */
    IGNORE
  }

  record Step(Phase next, List<Action> actions) {
    static Step to(Phase next, Action... actions) {
      return new Step(next, List.of(actions));
    }
  }

  static Step next(Phase phase, Input input) {
    switch (input) {
      case SENT:
        return phase == Phase.SENDING ? Step.to(Phase.CALLING) : stay(phase);
      case SEND_FAILED:
        // also once opened: the transaction exists (CALLING) but sending it failed (TLS refused)
        return phase == Phase.SENDING || phase == Phase.CALLING || phase == Phase.CANCEL_WAITING
            ? Step.to(Phase.TERMINATED, Action.REPORT)
            : stay(phase);
      case PROVISIONAL:
        switch (phase) {
          case CALLING:
          case PROCEEDING:
            return Step.to(Phase.PROCEEDING, Action.REPORT);
          case CANCEL_WAITING:
            return Step.to(Phase.CANCELLING, Action.SEND_CANCEL);
          default:
            return stay(phase);
        }
      case ANSWERED:
      case ANSWERED_WITHOUT_SDP:
        switch (phase) {
          case CALLING:
          case PROCEEDING:
          case SENDING: // a 2xx racing the SENT message
            return input == Input.ANSWERED
                ? Step.to(Phase.CONFIRMED, Action.ACK, Action.REPORT)
                : Step.to(Phase.TERMINATED, Action.ACK, Action.SEND_BYE, Action.REPORT);
          case CANCEL_WAITING:
          case CANCELLING:
            return Step.to(Phase.TERMINATED, Action.ACK, Action.SEND_BYE);
          default:
            return Step.to(phase, Action.ACK);
        }
      case RETRY:
        return phase == Phase.CALLING || phase == Phase.PROCEEDING
            ? Step.to(Phase.SENDING)
            : stay(phase);
      case REJECTED:
      case TIMEOUT:
        switch (phase) {
          case SENDING:
          case CALLING:
          case PROCEEDING:
          case CANCEL_WAITING:
          case CANCELLING:
            return Step.to(Phase.TERMINATED, Action.REPORT);
          default:
            return stay(phase);
        }
      case CANCEL:
      case BYE:
        switch (phase) {
          case SENDING:
          case CALLING:
            return Step.to(Phase.CANCEL_WAITING);
          case PROCEEDING:
            return Step.to(Phase.CANCELLING, Action.SEND_CANCEL);
          case CONFIRMED:
            return Step.to(Phase.TERMINATED, Action.SEND_BYE);
          default:
            return stay(phase);
        }
      case PEER_BYE:
        return phase == Phase.CONFIRMED ? Step.to(Phase.TERMINATED, Action.REPORT) : stay(phase);
      case EXPIRED:
        return phase == Phase.CONFIRMED
            ? Step.to(Phase.TERMINATED, Action.SEND_BYE, Action.REPORT)
            : stay(phase);
      default:
        throw new IllegalArgumentException("unknown input " + input);
    }
  }

  private static Step stay(Phase phase) {
    return Step.to(phase, Action.IGNORE);
  }
}

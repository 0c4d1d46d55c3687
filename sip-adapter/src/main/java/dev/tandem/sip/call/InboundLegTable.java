package dev.tandem.sip.call;

import java.util.List;

/**
 * The life of an INVITE a SIP peer sent us (RFC 3261 §13.3) as one table: {@link #next} maps a
 * phase and an input to the next phase and what to do, with no I/O. {@link InboundSipLeg} carries
 * the actions out on the call's owner thread.
 *
 * <pre>
 * phase       input        next        actions
 * PROCEEDING  RING         PROCEEDING  SEND_RINGING
 * PROCEEDING  ANSWER       CONFIRMED   SEND_OK
 * PROCEEDING  OFFER        OFFERED     SEND_OK  (a late offer: the 200 carries ours)
 * PROCEEDING  REJECT       TERMINATED  SEND_FINAL
 * PROCEEDING  PEER_CANCEL  TERMINATED  SEND_TERMINATED (487), REPORT
 * CONFIRMED   BYE          TERMINATED  SEND_BYE
 * CONFIRMED   PEER_BYE     TERMINATED  REPORT
 * CONFIRMED   ACK_TIMEOUT  TERMINATED  REPORT
 * CONFIRMED   EXPIRED      TERMINATED  SEND_BYE, REPORT
 * OFFERED     ACK          CONFIRMED   REPORT   (its answer, or that it had none, RFC 3264 §5)
 * OFFERED     BYE          TERMINATED  SEND_BYE
 * OFFERED     PEER_BYE     TERMINATED  REPORT
 * OFFERED     ACK_TIMEOUT  TERMINATED  REPORT
 * OFFERED     EXPIRED      TERMINATED  SEND_BYE, REPORT
 * any other pair           unchanged   IGNORE (logged)  (a CANCEL after our 200, a late answer)
 *
 * An ACK once CONFIRMED is not the leg's: it belongs to a re-INVITE's 200 ({@link
 * EstablishedDialog#onAck}), or repeats the first one.
 * </pre>
 */
final class InboundLegTable {
  private InboundLegTable() {}

  enum Phase {
    /** 100 sent (and maybe 180): core has not answered yet. */
    PROCEEDING,
    /** Our 200 with our offer is sent (the INVITE had none): its ACK brings the answer. */
    OFFERED,
    /** Our 200 is sent: the dialog stands. */
    CONFIRMED,
    /** Refused, cancelled, or BYE either way. */
    TERMINATED
  }

  enum Input {
    RING,
    ANSWER,
    /** Core's offer for the 200 to an INVITE without SDP. */
    OFFER,
    REJECT,
    PEER_CANCEL,
    BYE,
    PEER_BYE,
    ACK_TIMEOUT,
    EXPIRED,
    /** The peer's ACK for our 200. */
    ACK
  }

  enum Action {
    SEND_RINGING,
    SEND_OK,
    SEND_FINAL,
    SEND_TERMINATED,
    SEND_BYE,
    /** Tell core what happened (the input's own event). */
    REPORT,
    IGNORE
  }

  record Step(Phase next, List<Action> actions) {
    static Step to(Phase next, Action... actions) {
      return new Step(next, List.of(actions));
    }
  }

  static Step next(Phase phase, Input input) {
    if (phase == Phase.PROCEEDING) {
      switch (input) {
        case RING:
          return Step.to(Phase.PROCEEDING, Action.SEND_RINGING);
        case ANSWER:
          return Step.to(Phase.CONFIRMED, Action.SEND_OK);
        case OFFER:
          return Step.to(Phase.OFFERED, Action.SEND_OK);
        case REJECT:
          return Step.to(Phase.TERMINATED, Action.SEND_FINAL);
        case PEER_CANCEL:
          return Step.to(Phase.TERMINATED, Action.SEND_TERMINATED, Action.REPORT);
        default:
          return Step.to(phase, Action.IGNORE);
      }
    }
    if (phase == Phase.OFFERED) {
      switch (input) {
        case ACK:
          return Step.to(Phase.CONFIRMED, Action.REPORT);
        case BYE:
          return Step.to(Phase.TERMINATED, Action.SEND_BYE);
        case PEER_BYE:
        case ACK_TIMEOUT:
          return Step.to(Phase.TERMINATED, Action.REPORT);
        case EXPIRED:
          return Step.to(Phase.TERMINATED, Action.SEND_BYE, Action.REPORT);
        default:
          return Step.to(phase, Action.IGNORE);
      }
    }
    if (phase == Phase.CONFIRMED) {
      switch (input) {
        case BYE:
          return Step.to(Phase.TERMINATED, Action.SEND_BYE);
        case PEER_BYE:
        case ACK_TIMEOUT:
          return Step.to(Phase.TERMINATED, Action.REPORT);
        case EXPIRED:
          return Step.to(Phase.TERMINATED, Action.SEND_BYE, Action.REPORT);
        default:
          return Step.to(phase, Action.IGNORE);
      }
    }
    return Step.to(phase, Action.IGNORE);
  }
}

package dev.tandem.sip.call;

import static dev.tandem.sip.call.OutboundLegTable.Action.IGNORE;
import static dev.tandem.sip.call.OutboundLegTable.Action.REPORT;
import static dev.tandem.sip.call.OutboundLegTable.Phase.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sip.call.OutboundLegTable.Action;
import dev.tandem.sip.call.OutboundLegTable.Input;
import dev.tandem.sip.call.OutboundLegTable.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link OutboundLegTable}, row by row as its Javadoc lists them. */
class OutboundLegTableTest {

  @ParameterizedTest(name = "{0} --{1}--> {2} {3}")
  @CsvSource({
    "SENDING, SENT, CALLING, ''",
    "SENDING, CANCEL, CANCEL_WAITING, ''",
    "SENDING, BYE, CANCEL_WAITING, ''",
    "SENDING, SEND_FAILED, TERMINATED, REPORT",
    "CANCEL_WAITING, SEND_FAILED, TERMINATED, REPORT",
    "CALLING, SEND_FAILED, TERMINATED, REPORT",
    "PROCEEDING, SEND_FAILED, PROCEEDING, IGNORE",
    "CALLING, PROVISIONAL, PROCEEDING, REPORT",
    "PROCEEDING, PROVISIONAL, PROCEEDING, REPORT",
    "CALLING, CANCEL, CANCEL_WAITING, ''",
    "CALLING, BYE, CANCEL_WAITING, ''",
    "PROCEEDING, CANCEL, CANCELLING, SEND_CANCEL",
    "PROCEEDING, BYE, CANCELLING, SEND_CANCEL",
    "CANCEL_WAITING, SENT, CANCEL_WAITING, IGNORE",
    "CANCEL_WAITING, PROVISIONAL, CANCELLING, SEND_CANCEL",
    "CANCELLING, PROVISIONAL, CANCELLING, IGNORE",
    "CALLING, ANSWERED, CONFIRMED, ACK REPORT",
    "PROCEEDING, ANSWERED, CONFIRMED, ACK REPORT",
    "PROCEEDING, ANSWERED_WITHOUT_SDP, TERMINATED, ACK SEND_BYE REPORT",
    "CANCEL_WAITING, ANSWERED, TERMINATED, ACK SEND_BYE",
    "CANCELLING, ANSWERED, TERMINATED, ACK SEND_BYE",
    "CONFIRMED, ANSWERED, CONFIRMED, ACK",
    "TERMINATED, ANSWERED, TERMINATED, ACK",
    "CALLING, RETRY, SENDING, ''",
    "PROCEEDING, RETRY, SENDING, ''",
    "CANCELLING, RETRY, CANCELLING, IGNORE",
    "CALLING, REJECTED, TERMINATED, REPORT",
    "PROCEEDING, TIMEOUT, TERMINATED, REPORT",
    "CANCELLING, REJECTED, TERMINATED, REPORT",
    "CANCEL_WAITING, TIMEOUT, TERMINATED, REPORT",
    "CONFIRMED, BYE, TERMINATED, SEND_BYE",
    "CONFIRMED, CANCEL, TERMINATED, SEND_BYE",
    "CONFIRMED, PEER_BYE, TERMINATED, REPORT",
    "CONFIRMED, EXPIRED, TERMINATED, SEND_BYE REPORT",
    "CONFIRMED, REJECTED, CONFIRMED, IGNORE",
    "TERMINATED, BYE, TERMINATED, IGNORE",
    "TERMINATED, PEER_BYE, TERMINATED, IGNORE",
    "TERMINATED, TIMEOUT, TERMINATED, IGNORE",
    "PROCEEDING, PEER_BYE, PROCEEDING, IGNORE",
    "PROCEEDING, EXPIRED, PROCEEDING, IGNORE",
  })
  void eachRow(Phase phase, Input input, Phase next, String actions) {
    OutboundLegTable.Step step = OutboundLegTable.next(phase, input);
    assertThat(step.next()).isEqualTo(next);
    assertThat(step.actions()).isEqualTo(actions(actions));
  }

  /** Every pair has an answer: none throws, and an ignored pair never changes the phase. */
  @Test
  void everyPairIsAnsweredAndIgnoredPairsStay() {
    for (Phase phase : Phase.values()) {
      for (Input input : Input.values()) {
        OutboundLegTable.Step step = OutboundLegTable.next(phase, input);
        if (step.actions().contains(IGNORE)) {
          assertThat(step.next()).as(phase + " " + input).isEqualTo(phase);
        }
      }
    }
  }

  /** Core hears at most one final outcome: nothing is reported once the leg is over. */
  @Test
  void aTerminatedLegReportsNothingMore() {
    for (Input input : Input.values()) {
      assertThat(OutboundLegTable.next(TERMINATED, input).actions()).doesNotContain(REPORT);
    }
  }

  private static List<Action> actions(String names) {
    if (names.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(names.trim().split(" ")).map(Action::valueOf).toList();
  }
}

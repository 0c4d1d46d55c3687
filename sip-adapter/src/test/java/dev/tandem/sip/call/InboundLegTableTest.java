package dev.tandem.sip.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sip.call.InboundLegTable.Action;
import dev.tandem.sip.call.InboundLegTable.Input;
import dev.tandem.sip.call.InboundLegTable.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link InboundLegTable}, row by row as its Javadoc lists them. */
class InboundLegTableTest {

  @ParameterizedTest(name = "{0} --{1}--> {2} {3}")
  @CsvSource({
    "PROCEEDING, RING, PROCEEDING, SEND_RINGING",
    "PROCEEDING, ANSWER, CONFIRMED, SEND_OK",
    "PROCEEDING, OFFER, OFFERED, SEND_OK",
    "PROCEEDING, ACK, PROCEEDING, IGNORE",
    "OFFERED, ACK, CONFIRMED, REPORT",
    "OFFERED, BYE, TERMINATED, SEND_BYE",
    "OFFERED, PEER_BYE, TERMINATED, REPORT",
    "OFFERED, ACK_TIMEOUT, TERMINATED, REPORT",
    "OFFERED, EXPIRED, TERMINATED, SEND_BYE REPORT",
    "OFFERED, PEER_CANCEL, OFFERED, IGNORE",
    "OFFERED, ANSWER, OFFERED, IGNORE",
    "OFFERED, OFFER, OFFERED, IGNORE",
    "OFFERED, REJECT, OFFERED, IGNORE",
    "PROCEEDING, REJECT, TERMINATED, SEND_FINAL",
    "PROCEEDING, PEER_CANCEL, TERMINATED, SEND_TERMINATED REPORT",
    "PROCEEDING, BYE, PROCEEDING, IGNORE",
    "PROCEEDING, PEER_BYE, PROCEEDING, IGNORE",
    "CONFIRMED, BYE, TERMINATED, SEND_BYE",
    "CONFIRMED, PEER_BYE, TERMINATED, REPORT",
    "CONFIRMED, ACK_TIMEOUT, TERMINATED, REPORT",
    "CONFIRMED, EXPIRED, TERMINATED, SEND_BYE REPORT",
    "CONFIRMED, PEER_CANCEL, CONFIRMED, IGNORE",
    "CONFIRMED, ANSWER, CONFIRMED, IGNORE",
    "CONFIRMED, REJECT, CONFIRMED, IGNORE",
    "CONFIRMED, RING, CONFIRMED, IGNORE",
    "CONFIRMED, ACK, CONFIRMED, IGNORE",
    "CONFIRMED, OFFER, CONFIRMED, IGNORE",
    "TERMINATED, PEER_CANCEL, TERMINATED, IGNORE",
    "TERMINATED, ANSWER, TERMINATED, IGNORE",
    "TERMINATED, BYE, TERMINATED, IGNORE",
    "TERMINATED, PEER_BYE, TERMINATED, IGNORE",
  })
  void eachRow(Phase phase, Input input, Phase next, String actions) {
    InboundLegTable.Step step = InboundLegTable.next(phase, input);
    assertThat(step.next()).isEqualTo(next);
    assertThat(step.actions())
        .isEqualTo(java.util.Arrays.stream(actions.split(" ")).map(Action::valueOf).toList());
  }

  /** At most one final response and one report: nothing once the leg is over. */
  @Test
  void aTerminatedLegSendsAndReportsNothing() {
    for (Input input : Input.values()) {
      assertThat(InboundLegTable.next(Phase.TERMINATED, input).actions())
          .isEqualTo(List.of(Action.IGNORE));
    }
  }
}

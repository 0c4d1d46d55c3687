package dev.tandem.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InboundTableTest {
  private static final NumberPlan PLAN = NumberPlan.defaults();
  private static final InboundTarget ALICE = new InboundTarget.User("alice");
  private static final InboundTarget SALES =
      new InboundTarget.Group("sales", List.of("bob", "carol"));
  private static final InboundTarget DESK = new InboundTarget.User("desk");

  private static InboundTable.Entry entry(String pattern, InboundTarget target) {
    return new InboundTable.Entry(NumberPattern.parse(pattern, PLAN), target);
  }

  private final InboundTable table =
      new InboundTable(
          PLAN,
          List.of(
              entry("+1555000*", SALES), entry("+15550001234", ALICE), entry("+1555000XXXX", DESK)),
          Optional.empty());

  @Test
  void theMostSpecificEntryWins() {
    assertThat(table.route("15550001234")).contains(ALICE);
    assertThat(table.route("+15550009999")).contains(DESK);
    assertThat(table.route("+155500099")).contains(SALES);
    assertThat(table.route("+1555000")).as("* includes no further digit").contains(SALES);
    assertThat(table.route("+15551110000")).isEmpty();
    assertThat(table.route("alice")).isEmpty();
  }

  @Test
  void aFallbackTakesWhatNoEntryMatches() {
    InboundTable withFallback =
        new InboundTable(PLAN, List.of(entry("+15550001234", ALICE)), Optional.of(SALES));
    assertThat(withFallback.route("+15550001234")).contains(ALICE);
    assertThat(withFallback.route("bob")).contains(SALES);
    assertThat(withFallback.users()).containsExactly("alice", "bob", "carol");
  }

  @Test
  void theSameNumberTwiceOrEquallySpecificOverlappingPatternsAreRefused() {
    assertThatThrownBy(
            () ->
                new InboundTable(
                    PLAN,
                    List.of(entry("+15551234567", ALICE), entry("1 555 123 4567", DESK)),
                    Optional.empty()))
        .hasMessageContaining("overlap");
    assertThat(
            NumberPattern.parse("+1555X23", PLAN)
                .conflictsWith(NumberPattern.parse("+15551X3", PLAN)))
        .isTrue();
    assertThat(
            NumberPattern.parse("+1555X23", PLAN)
                .conflictsWith(NumberPattern.parse("+15552X4", PLAN)))
        .as("no number in common")
        .isFalse();
    assertThat(
            NumberPattern.parse("+1555X*", PLAN)
                .conflictsWith(NumberPattern.parse("+15551*", PLAN)))
        .as("+15551* has more digits: it wins")
        .isFalse();
    assertThat(
            NumberPattern.parse("+1555X1*", PLAN)
                .conflictsWith(NumberPattern.parse("+15551X*", PLAN)))
        .as("equally specific, +1555111 matches both")
        .isTrue();
    assertThat(
            NumberPattern.parse("+1555*", PLAN).conflictsWith(NumberPattern.parse("+1555X", PLAN)))
        .as("with as many digits the closed one wins")
        .isFalse();
  }

  @Test
  void malformedPatternsSayWhy() {
    assertThatThrownBy(() -> NumberPattern.parse("+1-555-CALL-NOW", PLAN))
        .hasMessageContaining("not a number or pattern");
    assertThatThrownBy(() -> NumberPattern.parse("+15*55", PLAN))
        .hasMessageContaining("not a number or pattern");
    assertThatThrownBy(() -> NumberPattern.parse("+*", PLAN)).hasMessageContaining("no digit");
  }
}

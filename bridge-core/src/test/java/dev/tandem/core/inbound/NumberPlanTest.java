package dev.tandem.core.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NumberPlanTest {
  private final NumberPlan none = NumberPlan.defaults();
  private final NumberPlan us = new NumberPlan(Optional.of("1"), "011", "");
  private final NumberPlan de = new NumberPlan(Optional.of("49"), "00", "0");

  @Test
  void everyWayOfWritingOneNumberIsOneE164Number() {
    for (String written :
        new String[] {
          "+15551234567",
          "15551234567",
          "tel:+1-555-123-4567",
          "sip:+1 (555) 123.4567@carrier.example;user=phone",
          "sips:15551234567@10.0.0.1:5061",
          "tel:+15551234567;phone-context=example.com"
        }) {
      assertThat(none.normalise(written)).as(written).contains("+15551234567");
    }
  }

  @Test
  void aDefaultCountryCodeCompletesNationalNumbers() {
    assertThat(us.normalise("5551234567")).contains("+15551234567");
    assertThat(us.normalise("15551234567")).contains("+15551234567");
    assertThat(us.normalise("011442079460000")).contains("+442079460000");
    assertThat(de.normalise("030 1234567")).contains("+49301234567");
    assertThat(de.normalise("0049301234567")).contains("+49301234567");
    assertThat(de.normalise("301234567")).contains("+49301234567");
  }

  @Test
  void namesAndServiceCodesAreNotNumbers() {
    assertThat(none.normalise("alice")).isEmpty();
    assertThat(none.normalise("*98")).isEmpty();
    assertThat(none.normalise("+")).isEmpty();
    assertThat(none.normalise("")).isEmpty();
  }

  @Test
  void aCountryCodeIsOneToThreeDigits() {
    assertThatThrownBy(() -> new NumberPlan(Optional.of("+1"), "00", "0"))
        .hasMessageContaining("country code");
    assertThatThrownBy(() -> new NumberPlan(Optional.of("4444"), "00", "0"))
        .hasMessageContaining("country code");
  }
}

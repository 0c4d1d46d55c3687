package dev.tandem.sdp.translate;

import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.BASELINE;
import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.CONSTRAINED_BASELINE;
import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.CONSTRAINED_HIGH;
import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.HIGH;
import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.MAIN;
import static dev.tandem.sdp.translate.H264ProfileLevelId.Profile.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sdp.Fmtp;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264ProfileLevelIdTest {

  private static H264ProfileLevelId of(String parameters) {
    return H264ProfileLevelId.of(Optional.of(new Fmtp("97", parameters)));
  }

  /** The profiles browsers offer, read as libwebrtc reads them. */
  @ParameterizedTest
  @CsvSource({
    "42e01f, CONSTRAINED_BASELINE, 31",
    "42c01f, CONSTRAINED_BASELINE, 31",
    "42001f, BASELINE, 31",
    "4d001f, MAIN, 31",
    "4d801f, CONSTRAINED_BASELINE, 31",
    "58c01e, CONSTRAINED_BASELINE, 30",
    "64001f, HIGH, 31",
    "640c34, CONSTRAINED_HIGH, 52",
    "f4001f, PREDICTIVE_HIGH_444, 31",
    "42e10a, OTHER, 10",
    "7a001f, OTHER, 31"
  })
  void readsProfileAndLevel(String hex, H264ProfileLevelId.Profile profile, int level) {
    H264ProfileLevelId p = of("profile-level-id=" + hex + ";packetization-mode=1");
    assertThat(p.profile()).isEqualTo(profile);
    assertThat(p.levelIdc()).isEqualTo(level);
    assertThat(p.packetizationMode()).isEqualTo(1);
  }

  @Test
  void sameProfileAndModeAtAnotherLevelIsTheSameCodecOtherwiseNot() {
    H264ProfileLevelId cb31 = of("profile-level-id=42e01f;packetization-mode=1");
    assertThat(cb31.sameCodec(of("packetization-mode=1;profile-level-id=42E028"))).isTrue();
    assertThat(cb31.sameCodec(of("profile-level-id=42001f;packetization-mode=1"))).isFalse();
    assertThat(cb31.sameCodec(of("profile-level-id=42e01f;packetization-mode=0"))).isFalse();
    assertThat(cb31.sameCodec(of("profile-level-id=42e01f"))).isFalse();
    assertThat(of("profile-level-id=7a001f").sameCodec(of("profile-level-id=7a001f"))).isFalse();
    assertThat(of("profile-level-id=4d001f").profile()).isEqualTo(MAIN);
    assertThat(of("profile-level-id=64001f").profile()).isEqualTo(HIGH);
    assertThat(of("profile-level-id=640c1f").profile()).isEqualTo(CONSTRAINED_HIGH);
    assertThat(of("profile-level-id=42001f").profile()).isEqualTo(BASELINE);
    assertThat(of("profile-level-id=42e11f").profile()).isEqualTo(OTHER);
  }

  @Test
  void withoutParametersItIsConstrainedBaselineLevel31ModeZero() {
    assertThat(H264ProfileLevelId.of(Optional.empty()))
        .isEqualTo(new H264ProfileLevelId(CONSTRAINED_BASELINE, 31, 0));
    assertThat(of("max-fs=3600")).isEqualTo(new H264ProfileLevelId(CONSTRAINED_BASELINE, 31, 0));
  }

  @Test
  void refusesWhatIsNotAProfileLevelIdOrAMode() {
    assertThatThrownBy(() -> of("profile-level-id=42e0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("H.264 profile-level-id needs 6 hex digits, not \"42e0\"");
    assertThatThrownBy(() -> of("profile-level-id=42e0zz"))
        .hasMessage("H.264 profile-level-id needs 6 hex digits, not \"42e0zz\"");
    assertThatThrownBy(() -> of("packetization-mode=3"))
        .hasMessage("H.264 packetization-mode must be 0, 1 or 2, not \"3\"");
  }
}

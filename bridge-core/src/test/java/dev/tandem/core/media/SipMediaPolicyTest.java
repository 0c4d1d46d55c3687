package dev.tandem.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.inbound.CallOrigin;
import dev.tandem.core.sip.Destination;
import dev.tandem.sdp.translate.MediaEncryption;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SipMediaPolicyTest {
  private final SipMediaPolicy policy =
      new SipMediaPolicy(
          Map.of("trunk", MediaEncryption.SDES_REQUIRED),
          Map.of("1001", MediaEncryption.SDES_REQUIRED),
          MediaEncryption.SDES_PREFERRED);

  private static Destination named(String name) {
    return new Destination(name, "192.0.2.1", 5060, Destination.Transport.UDP, Optional.empty());
  }

  @Test
  void destinationsAndPhonesHaveTheirOwnPolicyOrTheDefault() {
    assertThat(policy.of(named("trunk"))).isEqualTo(MediaEncryption.SDES_REQUIRED);
    assertThat(policy.of(named("pbx"))).isEqualTo(MediaEncryption.PLAIN);
    assertThat(policy.of(named("phone 1001"))).isEqualTo(MediaEncryption.SDES_REQUIRED);
    assertThat(policy.of(named("phone desk"))).isEqualTo(MediaEncryption.SDES_PREFERRED);
  }

  @Test
  void inboundCallsFollowWhereTheyCameFrom() {
    assertThat(policy.of(new CallOrigin.Destination("trunk")))
        .isEqualTo(MediaEncryption.SDES_REQUIRED);
    assertThat(policy.of(new CallOrigin.Phone("desk", true)))
        .isEqualTo(MediaEncryption.SDES_PREFERRED);
    assertThat(policy.of(new CallOrigin.Phone("1001", false)))
        .isEqualTo(MediaEncryption.SDES_REQUIRED);
    assertThat(policy.of(new CallOrigin.Untrusted("198.51.100.9")))
        .isEqualTo(MediaEncryption.PLAIN);
    assertThat(SipMediaPolicy.PLAIN.of(new CallOrigin.Unchecked()))
        .isEqualTo(MediaEncryption.PLAIN);
  }

  @Test
  void videoIsOnUnlessTheDestinationOrPhoneSwitchesItOff() {
    SipMediaPolicy withVideo =
        new SipMediaPolicy(
            Map.of("trunk", MediaEncryption.SDES_REQUIRED),
            Map.of(),
            MediaEncryption.PLAIN,
            java.util.Set.of(),
            new SipMediaPolicy.VideoPolicy(java.util.Set.of("trunk"), Map.of("1001", true), false));
    assertThat(withVideo.media(named("trunk")))
        .isEqualTo(new dev.tandem.sdp.translate.SipMedia(MediaEncryption.SDES_REQUIRED, false));
    assertThat(withVideo.media(named("pbx")).video()).isTrue();
    assertThat(withVideo.media(named("phone 1001")).video()).isTrue();
    assertThat(withVideo.media(named("phone desk")).video()).isFalse();
    assertThat(withVideo.media(new CallOrigin.Destination("trunk")).video()).isFalse();
    assertThat(withVideo.media(new CallOrigin.Destination("pbx")).video()).isTrue();
    assertThat(withVideo.media(new CallOrigin.Phone("desk", true)).video()).isFalse();
    assertThat(withVideo.media(new CallOrigin.Phone("1001", false)).video()).isTrue();
    assertThat(withVideo.media(new CallOrigin.Untrusted("198.51.100.9")).video()).isTrue();
    assertThat(policy.media(named("trunk")).video()).isTrue();
    assertThat(SipMediaPolicy.PLAIN.media(new CallOrigin.Unchecked()))
        .isEqualTo(dev.tandem.sdp.translate.SipMedia.PLAIN);
  }
}

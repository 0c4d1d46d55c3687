package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

class RefusedMediaTest {
  private static String chrome() throws Exception {
    return SipSdpTrimTest.resource("chrome-offer-audio-video-datachannel.sdp");
  }

  @Test
  void withVideoOnlyTheDataChannelIsRefused() throws Exception {
    SessionDescription out = SessionDescription.parse(RefusedMedia.refuse(chrome(), true));
    assertThat(out.media()).extracting(m -> m.media().port()).containsExactly(46522, 55208, 0);
    assertThat(out.media().get(2).media().proto()).isEqualTo("UDP/DTLS/SCTP");
  }

  @Test
  void withoutVideoTheVideoLineIsRefusedInPlaceWithItsAttributes() throws Exception {
    SessionDescription in = SessionDescription.parse(chrome());
    SessionDescription out = SessionDescription.parse(RefusedMedia.refuse(chrome(), false));
    assertThat(out.media()).extracting(m -> m.media().port()).containsExactly(46522, 0, 0);
    MediaDescription video = out.media().get(1);
    assertThat(video.media().formats()).isEqualTo(in.media().get(1).media().formats());
    assertThat(video.attributes()).isEqualTo(in.media().get(1).attributes());
    assertThat(out.media().get(0)).isEqualTo(in.media().get(0));
  }

  @Test
  void anAudioOnlyOfferAndTextThatIsNotSdpAreLeftAsTheyAre() throws Exception {
    String audio = SipSdpTrimTest.resource("chrome-offer-audio-only.sdp");
    assertThat(RefusedMedia.refuse(audio, false)).isSameAs(audio);
    assertThat(RefusedMedia.refuse("not sdp", false)).isEqualTo("not sdp");
  }
}

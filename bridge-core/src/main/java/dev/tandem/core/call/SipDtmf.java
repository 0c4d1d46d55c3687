package dev.tandem.core.call;

import dev.tandem.core.browser.DtmfMethod;
import dev.tandem.core.sip.Destination.DtmfMode;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.translate.OfferAnswer;

/** The one rule for how a browser sends DTMF toward a SIP peer. */
final class SipDtmf {
  private SipDtmf() {}

  /**
   * RFC 4733 in the media when the destination asks for it, or (by default) when the SIP side's SDP
   * has telephone-event/8000 on its audio; SIP INFO otherwise.
   */
  static DtmfMethod method(DtmfMode mode, String sipSdp) {
    return switch (mode) {
      case RFC4733 -> DtmfMethod.RFC4733;
      case INFO -> DtmfMethod.SIP_INFO;
      case AUTO -> hasTelephoneEvent(sipSdp) ? DtmfMethod.RFC4733 : DtmfMethod.SIP_INFO;
    };
  }

  private static boolean hasTelephoneEvent(String sdp) {
    try {
      SessionDescription description = SessionDescription.parse(sdp);
      var audio = OfferAnswer.carriedAudio(description);
      if (audio.isEmpty()) {
        return false;
      }
      MediaDescription media = description.media().get(audio.getAsInt());
      return media.codecs().values().stream().anyMatch(SipDtmf::isTelephoneEvent);
    } catch (SdpParseException e) {
      return false;
    }
  }

  private static boolean isTelephoneEvent(Codec codec) {
    return codec.name().equalsIgnoreCase("telephone-event") && codec.clockRate() == 8000;
  }
}

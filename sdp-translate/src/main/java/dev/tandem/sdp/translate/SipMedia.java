package dev.tandem.sdp.translate;

import java.util.Objects;

/**
 * What the plain (SIP) side of one call gets: how its media is protected, and whether video crosses
 * the bridge (the policy of a destination or of the registrar's phones). With {@code video} false a
 * video m-line is refused in place (port 0) and the call carries audio only.
 */
public record SipMedia(MediaEncryption encryption, boolean video) {
  /** Plain RTP, audio and video. */
  public static final SipMedia PLAIN = new SipMedia(MediaEncryption.PLAIN, true);

  public SipMedia {
    Objects.requireNonNull(encryption, "encryption");
  }

  /** {@code encryption}, with video. */
  public static SipMedia of(MediaEncryption encryption) {
    return new SipMedia(encryption, true);
  }

  public SipMedia withEncryption(MediaEncryption encryption) {
    return new SipMedia(encryption, video);
  }
}

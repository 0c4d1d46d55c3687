package dev.tandem.sdp.translate;

/**
 * How the plain (SIP) side of a call protects its media: the policy of a destination or of the
 * registrar's phones. The browser side is always DTLS-SRTP.
 *
 * <ul>
 *   <li>{@link #PLAIN}: offers {@code RTP/AVP}; an {@code RTP/SAVP} offer from SIP is still
 *       answered with SDES-SRTP (the caller asked for it).
 *   <li>{@link #SDES_PREFERRED}: offers {@code RTP/SAVP} with {@code a=crypto} and accepts an
 *       {@code RTP/AVP} answer without crypto (then the call runs plain RTP); accepts either offer.
 *   <li>{@link #SDES_REQUIRED}: offers {@code RTP/SAVP}, fails the call on any answer without SRTP,
 *       and refuses a plain {@code RTP/AVP} offer with 488.
 * </ul>
 */
public enum MediaEncryption {
  PLAIN("plain"),
  SDES_PREFERRED("sdes-preferred"),
  SDES_REQUIRED("sdes-required");

  /** How the configuration spells it. */
  public final String configName;

  MediaEncryption(String configName) {
    this.configName = configName;
  }

  /** Whether offers toward SIP carry SDES keys. */
  public boolean offersSrtp() {
    return this != PLAIN;
  }

  @Override
  public String toString() {
    return configName;
  }
}

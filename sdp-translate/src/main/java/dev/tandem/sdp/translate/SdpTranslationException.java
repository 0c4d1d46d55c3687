package dev.tandem.sdp.translate;

/**
 * A well-formed description that cannot cross the bridge, e.g. an offer with no codec both worlds
 * speak. The edge answers it like bad SDP (SIP 488, RFC 3261 §21.4.26) with this message.
 */
public final class SdpTranslationException extends Exception {
  private static final long serialVersionUID = 1L;

  public SdpTranslationException(String message) {
    super(message);
  }
}

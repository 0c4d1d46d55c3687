package dev.tandem.core.browser;

/** The type of an SDP in a renegotiation, as JSEP (RFC 8829) names it. */
public enum SdpType {
  OFFER,
  ANSWER,
  /**
   * Only from the bridge: the browser's re-offer could not be carried (the SIP peer refused the
   * re-INVITE); the browser goes back to the description it had (JSEP §4.1.8.2), no SDP.
   */
  ROLLBACK
}

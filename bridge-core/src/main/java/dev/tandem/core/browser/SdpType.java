package dev.tandem.core.browser;

/** The type of an SDP in a renegotiation, as JSEP (RFC 8829) names it. */
public enum SdpType {
  OFFER,
  ANSWER
}

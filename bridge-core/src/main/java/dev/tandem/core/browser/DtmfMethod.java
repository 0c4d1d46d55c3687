package dev.tandem.core.browser;

import java.util.Locale;

/**
 * How a browser sends DTMF on a call, as the bridge tells it when the call is answered or rings.
 */
public enum DtmfMethod {
  /**
   * In the media, as RFC 4733 telephone-events: the browser's own {@code RTCDTMFSender}; the media
   * backend carries them to the SIP side with the payload type renumbered.
   */
  RFC4733,
  /**
   * Asked of the bridge ({@code call.dtmf}), which sends SIP INFO ({@code application/dtmf-relay}).
   */
  SIP_INFO,
  /** Asked of the bridge ({@code call.dtmf}), which hands each digit to the peer browser. */
  SIGNALING;

  /** The name on the wire: {@code rfc4733}, {@code info}, {@code signaling}. */
  public String wireName() {
    return this == SIP_INFO ? "info" : name().toLowerCase(Locale.ROOT);
  }
}

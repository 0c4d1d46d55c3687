package dev.tandem.media.rtpengine;

/**
 * The address family rtpengine writes into offers toward SIP peers (its NG {@code address family}
 * flag). A browser's offer usually says {@code c=IN IP4} (Chromium's default candidate), so without
 * this rtpengine offers an IPv4 address even to a SIP side that has only IPv6. Answers need none:
 * rtpengine answers a SIP peer on the family of its offer.
 */
public enum SipAddressFamily {
  /** rtpengine keeps the family of the browser's {@code c=} line. */
  AUTO,
  /** {@code c=IN IP4}, from rtpengine's IPv4 interface address. */
  IP4,
  /** {@code c=IN IP6}, from rtpengine's IPv6 interface address (it needs one). */
  IP6
}

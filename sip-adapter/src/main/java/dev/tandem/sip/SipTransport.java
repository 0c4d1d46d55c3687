package dev.tandem.sip;

/** A SIP transport the bridge listens on (RFC 3261 §18). TLS arrives with its own issue. */
public enum SipTransport {
  UDP,
  TCP;

  /** The transport name as JAIN-SIP and Via headers spell it. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

package dev.tandem.sip;

import dev.tandem.core.sip.Destination;
import java.util.Locale;

/** A SIP transport the bridge listens on and sends over (RFC 3261 §18, TLS: RFC 5630). */
public enum SipTransport {
  UDP,
  TCP,
  TLS;

  /** The transport name as JAIN-SIP and Via headers spell it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The transport a destination is reached over. */
  public static SipTransport of(Destination.Transport transport) {
    return valueOf(transport.name());
  }

  /** The same transport as core names it. */
  public Destination.Transport toDestination() {
    return Destination.Transport.valueOf(name());
  }

  /** The transport of a JAIN-SIP listening point ("udp", "TCP", "tls"). */
  public static SipTransport ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}

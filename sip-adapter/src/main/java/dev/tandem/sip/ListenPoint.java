package dev.tandem.sip;

import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;

/** One address the SIP stack listens on: {@code udp 127.0.0.1:5060}. */
public record ListenPoint(
    SipTransport transport, @NotBlank String host, @Range(min = 1, max = 65535) int port) {

  /** The defaults for a listen point given only partly in the configuration. */
  public static ListenPoint defaults() {
    return new ListenPoint(SipTransport.UDP, "127.0.0.1", 5060);
  }

  @Override
  public String toString() {
    return transport.wireName() + " " + host + ":" + port;
  }
}

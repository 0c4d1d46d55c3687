package dev.tandem.sip;

import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.util.Optional;

/**
 * One address the SIP stack listens on ({@code udp 127.0.0.1:5060}), and the address it writes
 * toward peers for it.
 *
 * @param host an IPv4 or IPv6 address; {@code 0.0.0.0} or {@code ::} listens on every interface
 * @param advertised the host written in Via, Contact and Call-ID instead of the listening address
 *     (the public address of a NAT in front of the bridge); without it a wildcard listen point
 *     writes the address of the interface each message leaves by ({@link
 *     dev.tandem.sip.stack.Advertised})
 * @param advertisedPort the port written with {@code advertised} (a NAT that forwards another
 *     port); without it, {@code port}
 */
public record ListenPoint(
    SipTransport transport,
    @NotBlank String host,
    @Range(min = 1, max = 65535) int port,
    Optional<String> advertised,
    Optional<Integer> advertisedPort)
    implements SelfChecking {

  public ListenPoint {
    host = HostPort.bare(host);
    advertised = advertised.map(HostPort::bare);
  }

  /** Without an advertised address. */
  public ListenPoint(SipTransport transport, String host, int port) {
    this(transport, host, port, Optional.empty(), Optional.empty());
  }

  /** The defaults for a listen point given only partly in the configuration. */
  public static ListenPoint defaults() {
    return new ListenPoint(SipTransport.UDP, "127.0.0.1", 5060);
  }

  /** Whether the stack listens on every interface (0.0.0.0 or ::). */
  public boolean wildcard() {
    return HostPort.isWildcard(host);
  }

  @Override
  public void check(Problems problems) {
    if (!HostPort.isIpLiteral(host)) {
      problems.add("host", "must be an IPv4 or IPv6 address (0.0.0.0 or :: for all), not " + host);
    }
    advertised.ifPresent(
        a -> {
          if (HostPort.isWildcard(a)) {
            problems.add("advertised", "must be an address peers can reach, not a wildcard");
          } else if (!HostPort.isIpLiteral(a) && !HostPort.isHostName(a)) {
            problems.add("advertised", "must be an IP address or a host name, not " + a);
          }
        });
    advertisedPort.ifPresent(
        p -> {
          if (p < 1 || p > 65535) {
            problems.add("advertised-port", "must be 1..65535, not " + p);
          } else if (advertised.isEmpty()) {
            problems.add("advertised-port", "needs advertised (the host written with it)");
          }
        });
  }

  @Override
  public String toString() {
    return transport.wireName() + " " + new HostPort(host, port);
  }
}

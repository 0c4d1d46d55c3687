package dev.tandem.sip.stack;

import dev.tandem.sip.HostPort;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipTransport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address the bridge writes toward peers for each listen point: the Via sent-by, the Contact,
 * the host part of Call-IDs and the bridge's own URI. The one place for the rule, in this order:
 *
 * <ol>
 *   <li>the listen point's {@code advertised} host and port (a bridge behind NAT writes the NAT's
 *       public address);
 *   <li>else its listening address, when that is a concrete one;
 *   <li>else (a wildcard, {@code 0.0.0.0} or {@code ::}) the address of the interface a message to
 *       the peer leaves by, as the kernel's routing table says: a UDP socket connected toward the
 *       peer (connecting a UDP socket sends nothing). One look-up costs a socket, a connect and a
 *       close (16–20 µs measured on the 2-core build machine); it is made once per dialog,
 *       registration or keepalive, whose messages then reuse the address, so nothing is cached.
 * </ol>
 *
 * <p>Where no peer is known (JAIN-SIP's own Via of an in-dialog request before the leg stamps it)
 * or the peer has no route, a wildcard listen point writes its <em>fallback</em>: the address of
 * the interface toward a documentation address (RFC 5737 {@code 192.0.2.1}, RFC 3849 {@code
 * 2001:db8::1}), i.e. the default route's, else loopback. It is computed and logged at start. A
 * wildcard address is never written.
 */
public final class Advertised {
  private static final Logger log = LoggerFactory.getLogger(Advertised.class);

  /** Never contacted: only the routing table's choice toward them is read. */
  private static final String DOCUMENTATION_V4 = "192.0.2.1";

  private static final String DOCUMENTATION_V6 = "2001:db8::1";

  private final List<Entry> entries = new ArrayList<>();

  /** A listen point, the address it is bound to, and what it writes when no peer is known. */
  private record Entry(ListenPoint point, Optional<InetAddress> bound, HostPort fallback) {}

  public Advertised(List<ListenPoint> points) {
    for (ListenPoint point : points) {
      entries.add(new Entry(point, HostPort.literal(point.host()), fallback(point)));
    }
  }

  /** Says, for each listen point that needs it, which address it writes toward peers. */
  public void describe() {
    for (Entry e : entries) {
      ListenPoint point = e.point();
      if (point.advertised().isPresent()) {
        log.info("SIP {} writes {} toward peers (advertised)", point, e.fallback());
      } else if (point.wildcard()) {
        log.warn(
            "SIP {} listens on every interface without sip.listen[].advertised: it writes the"
                + " address of the interface each message leaves by ({} where no peer is known)."
                + " Behind NAT, set advertised to the public address",
            point,
            e.fallback());
      }
    }
  }

  /** The address written toward {@code peer} by {@code provider}'s listen point. */
  public HostPort toward(SipProvider provider, InetAddress peer) {
    ListeningPoint lp = Providers.listeningPoint(provider);
    Optional<Entry> entry = entry(lp);
    if (entry.isEmpty()) {
      return unconfigured(lp, Optional.of(peer));
    }
    return toward(entry.get(), Optional.of(peer));
  }

  /**
   * The address written toward the peer at {@code peerHost} (an address, or a name looked up only
   * when the listen point is a wildcard without an advertised address).
   */
  public HostPort toward(SipProvider provider, String peerHost) {
    ListeningPoint lp = Providers.listeningPoint(provider);
    Optional<Entry> entry = entry(lp);
    if (entry.isPresent() && !needsRoute(entry.get().point())) {
      return entry.get().fallback();
    }
    Optional<InetAddress> peer = resolve(peerHost);
    return entry.isPresent() ? toward(entry.get(), peer) : unconfigured(lp, peer);
  }

  /** The address written where no peer is known (the bridge's own URI). */
  public HostPort fallback(SipProvider provider) {
    ListeningPoint lp = Providers.listeningPoint(provider);
    return entry(lp).map(Entry::fallback).orElseGet(() -> unconfigured(lp, Optional.empty()));
  }

  /**
   * The fallback of the listen point a JAIN-SIP message processor serves ({@code transport}, bound
   * to {@code address}:{@code port}), for the Via the stack makes itself.
   */
  public Optional<HostPort> ofProcessor(String transport, InetAddress address, int port) {
    return entries.stream()
        .filter(e -> matches(e, transport, address, port))
        .map(Entry::fallback)
        .findFirst();
  }

  private HostPort toward(Entry entry, Optional<InetAddress> peer) {
    if (!needsRoute(entry.point())) {
      return entry.fallback();
    }
    return peer.flatMap(Advertised::sourceToward)
        .map(a -> HostPort.of(a, entry.point().port()))
        .orElse(entry.fallback());
  }

  private static boolean needsRoute(ListenPoint point) {
    return point.advertised().isEmpty() && point.wildcard();
  }

  private Optional<Entry> entry(ListeningPoint lp) {
    Optional<InetAddress> address = HostPort.literal(lp.getIPAddress());
    return entries.stream()
        .filter(
            e -> address.isPresent() && matches(e, lp.getTransport(), address.get(), lp.getPort()))
        .findFirst();
  }

  /**
   * Whether {@code e} is the listen point bound to {@code address}: JAIN-SIP reports a wildcard
   * listen point by its socket's local address, which for {@code 0.0.0.0} is the IPv6 wildcard of a
   * dual-stack socket, so any wildcard matches any wildcard.
   */
  private static boolean matches(Entry e, String transport, InetAddress address, int port) {
    return e.point().transport() == SipTransport.ofWireName(transport)
        && e.point().port() == port
        && e.bound()
            .map(b -> b.equals(address) || (b.isAnyLocalAddress() && address.isAnyLocalAddress()))
            .orElse(false);
  }

  /** A listening point that no configuration describes (a stack built by hand in a test). */
  private static HostPort unconfigured(ListeningPoint lp, Optional<InetAddress> peer) {
    Optional<InetAddress> bound = HostPort.literal(lp.getIPAddress());
    if (bound.isPresent() && bound.get().isAnyLocalAddress()) {
      InetAddress source =
          peer.flatMap(Advertised::sourceToward).orElseGet(() -> defaultSource(bound.get()));
      return HostPort.of(source, lp.getPort());
    }
    return new HostPort(lp.getIPAddress(), lp.getPort());
  }

  private static HostPort fallback(ListenPoint point) {
    if (point.advertised().isPresent()) {
      return new HostPort(point.advertised().get(), point.advertisedPort().orElse(point.port()));
    }
    Optional<InetAddress> bound = HostPort.literal(point.host());
    if (bound.isPresent() && bound.get().isAnyLocalAddress()) {
      return HostPort.of(defaultSource(bound.get()), point.port());
    }
    return new HostPort(point.host(), point.port());
  }

  /**
   * The address of the interface toward the default route for a wildcard bound to {@code wildcard}:
   * IPv4 first (an IPv6 wildcard also serves IPv4), then IPv6, else loopback.
   */
  private static InetAddress defaultSource(InetAddress wildcard) {
    Optional<InetAddress> v4 = resolve(DOCUMENTATION_V4).flatMap(Advertised::sourceToward);
    if (wildcard instanceof Inet4Address) {
      return v4.orElse(InetAddress.getLoopbackAddress());
    }
    return v4.or(() -> resolve(DOCUMENTATION_V6).flatMap(Advertised::sourceToward))
        .orElseGet(Advertised::loopbackV6);
  }

  private static InetAddress loopbackV6() {
    try {
      return InetAddress.getByName("::1");
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  /** The local address the kernel picks toward {@code peer}; empty without a route. */
  static Optional<InetAddress> sourceToward(InetAddress peer) {
    if (peer.isAnyLocalAddress()) {
      return Optional.empty();
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(peer, 9); // discard port; connect() only asks the routing table
      InetAddress local = socket.getLocalAddress();
      if (local == null || local.isAnyLocalAddress()) {
        return Optional.empty();
      }
      if (local instanceof Inet6Address v6 && v6.getScopeId() != 0) {
        return Optional.of(InetAddress.getByAddress(v6.getAddress()));
      }
      return Optional.of(local);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> resolve(String host) {
    Optional<InetAddress> literal = HostPort.literal(host);
    if (literal.isPresent()) {
      return literal;
    }
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}

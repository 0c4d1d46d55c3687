package dev.tandem.sip.stack;

import dev.tandem.core.sip.Destination;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.SipTransport;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * Where a dialog's requests go when the peer's Contact cannot be reached: the address and transport
 * its messages come from (a phone behind NAT writes its private address in Contact; the NAT lets
 * through only what goes back to the public address and port it mapped). Like Kamailio's {@code
 * fix_nated_contact} or an RFC 5626 flow, but the Request-URI keeps the peer's Contact: only the
 * next hop changes ({@link FlowRouter}).
 *
 * @param host the address the peer's messages come from, or the address it registered from
 */
public record Flow(String host, int port, SipTransport transport) {

  public Flow {
    host = HostPort.bare(Objects.requireNonNull(host, "host"));
  }

  /** What a dialog's application data offers to the {@link FlowRouter}. */
  public interface Holder {
    /** The flow of the dialog's peer; empty: requests go to its Contact (or route set). */
    Optional<Flow> flow();
  }

  /**
   * The flow of a peer whose dialog-creating request came from {@code sourceHost:sourcePort}:
   * present when the peer is behind NAT, that is when its Contact is not where the request came
   * from and either names a private-use, loopback or link-local address (RFC 1918, RFC 6598, RFC
   * 4193) other than the source's, or equals its own top Via sent-by (the peer wrote an address it
   * does not send from). A Contact that differs from a public source for another reason (a proxy
   * that did not Record-Route, a gateway answering for another host) is left alone.
   */
  public static Optional<Flow> ofRequest(
      Request request, String sourceHost, int sourcePort, SipTransport transport) {
    ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
    if (contact == null || !(contact.getAddress().getURI() instanceof SipURI uri)) {
      return Optional.empty();
    }
    HostPort target = new HostPort(uri.getHost(), portOr(uri.getPort(), transport));
    HostPort source = new HostPort(sourceHost, sourcePort);
    if (same(target, source)) {
      return Optional.empty();
    }
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    boolean ownAddress =
        via != null && same(target, new HostPort(via.getHost(), portOr(via.getPort(), transport)));
    boolean privateAddress =
        HostPort.literal(target.host()).map(Flow::isPrivate).orElse(false)
            && !same(new HostPort(target.host(), 0), new HostPort(sourceHost, 0));
    if (ownAddress || privateAddress) {
      return Optional.of(new Flow(sourceHost, sourcePort, transport));
    }
    return Optional.empty();
  }

  /** The flow to a destination (a registered phone, reached where it registered from). */
  public static Flow to(Destination destination) {
    return new Flow(
        destination.host(), destination.port(), SipTransport.of(destination.transport()));
  }

  /** The next hop JAIN-SIP sends to. */
  Hop hop() {
    return new HopImpl(host, port, transport.wireName());
  }

  /**
   * Private-use, shared (CGN), unique local, link-local or loopback: not reachable from outside.
   */
  static boolean isPrivate(InetAddress address) {
    if (address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isLoopbackAddress()
        || address.isAnyLocalAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, RFC 6598
    }
    return address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc; // fc00::/7, RFC 4193
  }

  private static boolean same(HostPort a, HostPort b) {
    if (a.port() != b.port()) {
      return false;
    }
    Optional<InetAddress> x = HostPort.literal(a.host());
    Optional<InetAddress> y = HostPort.literal(b.host());
    return x.isPresent() && y.isPresent()
        ? x.get().equals(y.get())
        : a.host().equalsIgnoreCase(b.host());
  }

  private static int portOr(int port, SipTransport transport) {
    return port > 0 ? port : transport == SipTransport.TLS ? 5061 : 5060;
  }

  @Override
  public String toString() {
    return transport.wireName() + " " + new HostPort(host, port);
  }
}

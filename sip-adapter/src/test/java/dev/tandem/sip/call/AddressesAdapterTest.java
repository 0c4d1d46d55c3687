package dev.tandem.sip.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.call.RawSipPeer.Message;
import dev.tandem.sip.stack.SipStackService;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The addresses the bridge writes toward peers, on the real JAIN-SIP stack against a raw-text peer:
 * IPv6 in brackets, a wildcard listen point writing the interface toward the peer, an advertised
 * address everywhere, rport both ways, and in-dialog requests to a caller behind NAT.
 */
class AddressesAdapterTest {
  private static final String OFFER =
      "v=0\r\no=pat 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
  private static final String ANSWER =
      OFFER.replace("pat 1 1", "tandem 2 2").replace("6000", "7000");

  private SipStackService stack;
  private SipCalls calls;
  private SignalingLoop loop;
  private RawSipPeer peer;
  private int port;
  private final BlockingQueue<Object[]> incoming = new LinkedBlockingQueue<>();
  private final BlockingQueue<SipLegEvent> events = new LinkedBlockingQueue<>();

  private void start(InetAddress peerAddress, ListenPoint... points) throws Exception {
    stack =
        new SipStackService(
            new SipSettings(List.of(points), "Tandem-test", 65536, 2), new Readiness());
    loop = new SignalingLoop();
    calls = new SipCalls(stack, stack.messages(), loop, loop);
    stack.handle(calls.handlers(), calls);
    calls.connect(
        (invite, leg) -> {
          incoming.add(new Object[] {invite, leg});
          return events::add;
        });
    stack.start();
    peer = new RawSipPeer(peerAddress);
  }

  private static int freePort(InetAddress address) throws Exception {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address, 0))) {
      return probe.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    if (peer != null) {
      peer.close();
    }
    if (stack != null) {
      stack.stop();
    }
    if (loop != null) {
      loop.close();
    }
  }

  private OutboundLeg inviteToPeer(String host) {
    return calls.invite(
        new OutboundInvite(
            new CallId("out"),
            new Destination("pbx", host, peer.port(), Destination.Transport.UDP, Optional.empty()),
            "sip:1000@" + (host.contains(":") ? "[" + host + "]" : host),
            "alice",
            OFFER),
        events::add);
  }

  /** Answers the INVITE with 200 (Contact {@code contact}) and returns the ACK. */
  private Message answer(Message invite, String contact, InetAddress to) throws Exception {
    peer.send(
        RawSipPeer.response(invite, 200, "OK", "pbx1", "Contact: <" + contact + ">", ANSWER),
        to,
        port);
    assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(new SipLegEvent.Answered(ANSWER));
    return peer.receive(m -> !m.isResponse() && m.method().equals("ACK"));
  }

  private static String inviteFrom(
      String peerHost, int peerPort, String bridge, String contact, String via) {
    return "INVITE sip:bob@"
        + bridge
        + " SIP/2.0\n"
        + "Via: SIP/2.0/UDP "
        + via
        + ";branch=z9hG4bK-in1\n"
        + "Max-Forwards: 70\n"
        + "From: <sip:pat@"
        + peerHost
        + ":"
        + peerPort
        + ">;tag=pat1\n"
        + "To: <sip:bob@"
        + bridge
        + ">\n"
        + "Call-ID: in-1@"
        + peerHost
        + "\n"
        + "CSeq: 1 INVITE\n"
        + "Contact: <"
        + contact
        + ">\n"
        + "Content-Type: application/sdp\n"
        + "Content-Length: "
        + OFFER.getBytes(StandardCharsets.UTF_8).length
        + "\n\n"
        + OFFER;
  }

  private InboundLeg nextIncomingLeg() throws InterruptedException {
    Object[] next = incoming.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("core got the INVITE").isNotNull();
    return (InboundLeg) next[1];
  }

  @Test
  void anInviteOverIpv6WritesBracketedAddresses() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    port = freePort(v6);
    start(v6, new ListenPoint(SipTransport.UDP, "::1", port));

    OutboundLeg leg = inviteToPeer("::1");
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.firstLine()).isEqualTo("INVITE sip:1000@[::1] SIP/2.0");
    assertThat(invite.header("Via"))
        .startsWith("SIP/2.0/UDP [::1]:" + port + ";")
        .contains("rport");
    assertThat(invite.header("Contact")).contains("sip:alice@[::1]:" + port + ";transport=udp");
    assertThat(invite.header("From")).contains("sip:alice@[::1]:" + port);
    assertThat(invite.header("Call-ID")).endsWith("@[::1]");
    assertThat(invite.header("Route")).contains("<sip:[::1]:" + peer.port() + ";");

    Message ack = answer(invite, "sip:1000@[::1]:" + peer.port(), v6);
    assertThat(ack.header("Via")).startsWith("SIP/2.0/UDP [::1]:" + port);
    leg.bye();
    Message bye = peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    assertThat(bye.firstLine()).isEqualTo("BYE sip:1000@[::1]:" + peer.port() + " SIP/2.0");
    assertThat(bye.header("Via")).startsWith("SIP/2.0/UDP [::1]:" + port + ";").contains("rport");
  }

  @Test
  void anInviteReceivedOverIpv6IsAnsweredWithABracketedContact() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    port = freePort(v6);
    start(v6, new ListenPoint(SipTransport.UDP, "::1", port));
    peer.send(
        inviteFrom(
            "[::1]",
            peer.port(),
            "[::1]:" + port,
            "sip:pat@[::1]:" + peer.port(),
            "[::1]:" + peer.port()),
        v6,
        port);
    InboundLeg leg = nextIncomingLeg();
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.header("Contact")).contains("sip:bob@[::1]:" + port);
  }

  @Test
  void aWildcardListenPointWritesTheAddressOfTheInterfaceTowardThePeer() throws Exception {
    port = freePort(InetAddress.getByName("0.0.0.0"));
    start(
        InetAddress.getLoopbackAddress(),
        new ListenPoint(SipTransport.UDP, "0.0.0.0", port),
        new ListenPoint(SipTransport.TCP, "0.0.0.0", port));

    OutboundLeg leg = inviteToPeer("127.0.0.1");
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.header("Via")).startsWith("SIP/2.0/UDP 127.0.0.1:" + port + ";");
    assertThat(invite.header("Contact")).contains("@127.0.0.1:" + port);
    assertThat(invite.header("Call-ID")).endsWith("@127.0.0.1");
    assertThat(invite.raw()).doesNotContain("0.0.0.0").doesNotContain("0:0:0:0");
    answer(invite, "sip:1000@127.0.0.1:" + peer.port(), InetAddress.getLoopbackAddress());
    leg.bye();
    Message bye = peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    assertThat(bye.raw()).doesNotContain("0.0.0.0").doesNotContain("0:0:0:0");
    assertThat(calls.localUri("alice")).doesNotContain("0.0.0.0");
  }

  @Test
  void anIpv6WildcardListenPointWritesTheIpv6InterfaceTowardAnIpv6Peer() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    port = freePort(InetAddress.getByName("::"));
    start(v6, new ListenPoint(SipTransport.UDP, "::", port));

    inviteToPeer("::1");
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.header("Via")).startsWith("SIP/2.0/UDP [::1]:" + port + ";");
    assertThat(invite.header("Contact")).contains("@[::1]:" + port);
    assertThat(invite.raw()).doesNotContain("0:0:0:0").doesNotContain("[::]");
  }

  @Test
  void anAdvertisedAddressIsWrittenInEveryRequestAndResponse() throws Exception {
    port = freePort(InetAddress.getByName("0.0.0.0"));
    start(
        InetAddress.getLoopbackAddress(),
        new ListenPoint(
            SipTransport.UDP, "0.0.0.0", port, Optional.of("203.0.113.7"), Optional.of(5999)));

    OutboundLeg leg = inviteToPeer("127.0.0.1");
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.header("Via")).startsWith("SIP/2.0/UDP 203.0.113.7:5999;").contains("rport");
    assertThat(invite.header("Contact")).contains("@203.0.113.7:5999");
    assertThat(invite.header("Call-ID")).endsWith("@203.0.113.7");
    Message ack =
        answer(invite, "sip:1000@127.0.0.1:" + peer.port(), InetAddress.getLoopbackAddress());
    assertThat(ack.header("Via")).startsWith("SIP/2.0/UDP 203.0.113.7:5999");
    leg.bye();
    Message bye = peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    assertThat(bye.header("Via")).startsWith("SIP/2.0/UDP 203.0.113.7:5999;");
    assertThat(calls.localUri("alice")).isEqualTo("sip:alice@203.0.113.7:5999");

    // an INVITE to a browser user: the 200's Contact is the advertised address too
    peer.send(
        inviteFrom(
            "127.0.0.1",
            peer.port(),
            "203.0.113.7:5999",
            "sip:pat@127.0.0.1:" + peer.port(),
            "127.0.0.1:" + peer.port()),
        InetAddress.getLoopbackAddress(),
        port);
    InboundLeg in = nextIncomingLeg();
    in.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.header("Contact")).contains("sip:bob@203.0.113.7:5999");
  }

  /**
   * RFC 3581 §4: a request whose Via asks for rport is answered to the address and port it came
   * from, with received and rport filled in, whatever its sent-by says.
   */
  @Test
  void aResponseGoesWhereItsRequestCameFromWhenItAsksForRport() throws Exception {
    port = freePort(InetAddress.getLoopbackAddress());
    start(InetAddress.getLoopbackAddress(), new ListenPoint(SipTransport.UDP, "127.0.0.1", port));
    peer.send(
        "OPTIONS sip:127.0.0.1:"
            + port
            + " SIP/2.0\n"
            + "Via: SIP/2.0/UDP 10.1.2.3:5099;rport;branch=z9hG4bK-opt1\n"
            + "Max-Forwards: 70\n"
            + "From: <sip:pat@10.1.2.3:5099>;tag=p1\n"
            + "To: <sip:127.0.0.1:"
            + port
            + ">\n"
            + "Call-ID: opt-1@10.1.2.3\n"
            + "CSeq: 1 OPTIONS\n"
            + "Content-Length: 0\n\n",
        port);
    Message ok = peer.receive(m -> m.isResponse());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Via")).contains("received=127.0.0.1").contains("rport=" + peer.port());
  }

  /**
   * A caller behind NAT: its Contact and Via name a private address, its INVITE comes from the
   * NAT's. The bridge's BYE goes where the INVITE came from, its Request-URI still the Contact.
   */
  @Test
  void aByeToACallerBehindNatGoesWhereItsInviteCameFrom() throws Exception {
    port = freePort(InetAddress.getLoopbackAddress());
    start(InetAddress.getLoopbackAddress(), new ListenPoint(SipTransport.UDP, "127.0.0.1", port));
    peer.send(
        inviteFrom(
            "10.9.8.7", 5060, "127.0.0.1:" + port, "sip:pat@10.9.8.7:5060", "10.9.8.7:5060;rport"),
        port);
    InboundLeg leg = nextIncomingLeg();
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.header("Via")).contains("received=127.0.0.1").contains("rport=" + peer.port());
    peer.send(
        "ACK sip:bob@127.0.0.1:"
            + port
            + " SIP/2.0\n"
            + "Via: SIP/2.0/UDP 10.9.8.7:5060;rport;branch=z9hG4bK-ack1\n"
            + "Max-Forwards: 70\n"
            + "From: <sip:pat@10.9.8.7:5060>;tag=pat1\n"
            + "To: "
            + ok.header("To")
            + "\n"
            + "Call-ID: in-1@10.9.8.7\n"
            + "CSeq: 1 ACK\n"
            + "Content-Length: 0\n\n",
        port);
    leg.bye();
    Message bye = peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    assertThat(bye.firstLine()).isEqualTo("BYE sip:pat@10.9.8.7:5060 SIP/2.0");
  }

  /** A caller that is not behind NAT (Contact where it sends from) is sent to its Contact. */
  @Test
  void aByeToACallerWithAReachableContactGoesToTheContact() throws Exception {
    port = freePort(InetAddress.getLoopbackAddress());
    start(InetAddress.getLoopbackAddress(), new ListenPoint(SipTransport.UDP, "127.0.0.1", port));
    try (RawSipPeer other = new RawSipPeer()) {
      // Contact: another public-looking host (a gateway answering for it): no flow, Contact wins
      peer.send(
          inviteFrom(
              "127.0.0.1",
              peer.port(),
              "127.0.0.1:" + port,
              "sip:pat@127.0.0.1:" + other.port(),
              "127.0.0.1:" + peer.port()),
          port);
      InboundLeg leg = nextIncomingLeg();
      leg.answer(ANSWER);
      Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
      peer.send(
          "ACK sip:bob@127.0.0.1:"
              + port
              + " SIP/2.0\n"
              + "Via: SIP/2.0/UDP 127.0.0.1:"
              + peer.port()
              + ";branch=z9hG4bK-ack1\n"
              + "Max-Forwards: 70\n"
              + "From: <sip:pat@127.0.0.1>;tag=pat1\n"
              + "To: "
              + ok.header("To")
              + "\n"
              + "Call-ID: in-1@127.0.0.1\n"
              + "CSeq: 1 ACK\n"
              + "Content-Length: 0\n\n",
          port);
      leg.bye();
      Message bye = other.receive(m -> !m.isResponse() && m.method().equals("BYE"));
      assertThat(bye.firstLine()).isEqualTo("BYE sip:pat@127.0.0.1:" + other.port() + " SIP/2.0");
    }
  }

  @Test
  void theBridgesOwnUriUsesTheAdvertisedAddressWithoutAPeer() throws Exception {
    port = freePort(InetAddress.getLoopbackAddress());
    start(
        InetAddress.getLoopbackAddress(),
        new ListenPoint(
            SipTransport.UDP, "127.0.0.1", port, Optional.of("sip.example.com"), Optional.empty()));
    assertThat(calls.localUri("alice")).isEqualTo("sip:alice@sip.example.com:" + port);
  }
}

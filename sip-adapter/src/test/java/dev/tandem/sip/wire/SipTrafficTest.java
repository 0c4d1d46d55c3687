package dev.tandem.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.health.Readiness;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.stack.SipStackService;
import dev.tandem.sip.wire.WirePeer.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stack reports each request it receives and each response it sends, on every transport. */
class SipTrafficTest {
  private final Queue<String> seen = new ConcurrentLinkedQueue<>();
  private SipStackService stack;
  private int port;

  @BeforeEach
  void start() throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      port = probe.getLocalPort();
    }
    stack =
        new SipStackService(
            new SipSettings(
                List.of(
                    new ListenPoint(SipTransport.UDP, "127.0.0.1", port),
                    new ListenPoint(SipTransport.TCP, "127.0.0.1", port)),
                "Tandem-test",
                65536,
                2),
            new Readiness());
    stack.observe(
        new SipTraffic() {
          @Override
          public void request(String method, boolean sent) {
            seen.add((sent ? "sent " : "received ") + method);
          }

          @Override
          public void response(String method, int status, boolean sent) {
            seen.add((sent ? "sent " : "received ") + status + " " + method);
          }
        });
    stack.start();
  }

  @AfterEach
  void stop() {
    stack.stop();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void countsTheRequestReceivedAndTheResponseSent(Transport transport) throws Exception {
    try (WirePeer peer = new WirePeer(transport, port)) {
      peer.send(
          "OPTIONS sip:bob@127.0.0.1:"
              + port
              + " SIP/2.0\r\n"
              + "Via: SIP/2.0/"
              + peer.via()
              + " 127.0.0.1:"
              + peer.localPort()
              + ";branch=z9hG4bK-traffic\r\n"
              + "From: <sip:pat@127.0.0.1>;tag=p\r\n"
              + "To: <sip:bob@127.0.0.1>\r\n"
              + "Call-ID: traffic-1\r\n"
              + "CSeq: 1 OPTIONS\r\n"
              + "Max-Forwards: 70\r\n"
              + "Content-Length: 0\r\n\r\n");
      assertThat(peer.receive(3000)).startsWith("SIP/2.0 200");
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> assertThat(seen).containsExactly("received OPTIONS", "sent 200 OPTIONS"));
  }
}

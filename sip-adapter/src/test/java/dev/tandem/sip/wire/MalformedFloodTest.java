package dev.tandem.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tandem.core.health.Readiness;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.stack.SipStackService;
import dev.tandem.sip.wire.WirePeer.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Twenty malformed messages over UDP or TCP cost a few short log lines: no stack trace, no buffer
 * dump, line breaks escaped (before: ~4 MB of ERRORs over UDP, verbatim messages over TCP).
 */
class MalformedFloodTest {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
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
    stack.start();
    lines.start();
    root.addAppender(lines);
  }

  @AfterEach
  void stop() {
    root.detachAppender(lines);
    stack.stop();
  }

  /** An OPTIONS without CSeq whose Call-ID carries a forged log line. */
  private String withoutCSeq(WirePeer peer, int i) {
    return "OPTIONS sip:bob@127.0.0.1:"
        + port
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/"
        + peer.via()
        + " 127.0.0.1:"
        + peer.localPort()
        + ";branch=z9hG4bK-flood"
        + i
        + "\r\n"
        + "From: <sip:pat@127.0.0.1>;tag=p\r\n"
        + "To: <sip:bob@127.0.0.1>\r\n"
        + "Call-ID: flood-"
        + i
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "Content-Length: 0\r\n\r\n";
  }

  /** A request line that cannot parse, with a control character and a would-be log line. */
  private static String unparseable(int i) {
    return "OPTIONS \u001b[31m sip:x\rINFO forged "
        + i
        + " SIP/2.0\r\nCall-ID: x"
        + i
        + "\r\nContent-Length: 0\r\n\r\n";
  }

  private WirePeer sendOrReconnect(WirePeer peer, Transport transport, String message)
      throws Exception {
    try {
      peer.send(message);
      return peer;
    } catch (java.io.IOException closed) {
      peer.close();
      WirePeer next = new WirePeer(transport, port);
      next.send(message);
      return next;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void twentyMalformedMessagesCostAFewShortEscapedLines(Transport transport) throws Exception {
    // over TCP the bridge may close a connection whose stream it cannot read on: the flood then
    // goes on over a new one, so that all 40 bad messages arrive
    WirePeer flood = new WirePeer(transport, port);
    try {
      for (int i = 0; i < 20; i++) {
        flood = sendOrReconnect(flood, transport, withoutCSeq(flood, i));
        flood = sendOrReconnect(flood, transport, unparseable(i));
      }
    } finally {
      flood.close();
    }
    // one good request after the flood is still answered (on a connection of its own: a TCP
    // stream whose framing broke is not read on by JAIN-SIP's blocking processor)
    try (WirePeer peer = new WirePeer(transport, port)) {
      peer.send(
          withoutCSeq(peer, 99)
              .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nCSeq: 1 OPTIONS\r\n"));
      String answer;
      do {
        answer = peer.receive(3000);
      } while (answer != null && !answer.contains("flood-99"));
      assertThat(answer).as("the good OPTIONS is answered").startsWith("SIP/2.0 200");
    }
    // the bad messages are read on their own connections' threads: their lines may come after the
    // good request's answer
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(3))
        .until(() -> !lines.list.isEmpty());
    List<ILoggingEvent> logged = List.copyOf(lines.list);
    assertThat(logged).as("lines for 40 bad messages").hasSizeBetween(1, 15);
    assertThat(logged).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(logged)
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage())
                    .doesNotContain("\r")
                    .doesNotContain("\n")
                    .doesNotContain("\u001b")
                    .hasSizeLessThan(600));
    assertThat(logged).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("malformed"));
    assertThat(logged.stream().mapToInt(e -> e.getFormattedMessage().length()).sum())
        .isLessThan(8_000);
  }
}

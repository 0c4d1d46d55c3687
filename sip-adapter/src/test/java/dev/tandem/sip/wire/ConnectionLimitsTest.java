package dev.tandem.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.health.Readiness;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.TcpSettings;
import dev.tandem.sip.stack.SipStackService;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Accepted SIP TCP connections on a real JAIN-SIP stack: capped in total and per source, closed
 * when idle or when a message never ends, and the stack's thread count does not grow with them.
 */
class ConnectionLimitsTest {
  private final List<Socket> clients = new ArrayList<>();
  private SipStackService stack;
  private int port;

  private void start(TcpSettings limits) throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    stack =
        new SipStackService(
            new SipSettings(
                List.of(new ListenPoint(SipTransport.TCP, "127.0.0.1", port)),
                "Tandem-test",
                65536,
                2,
                limits),
            new Readiness());
    stack.start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    if (stack != null) {
      stack.stop();
    }
  }

  private Socket connect() throws IOException {
    Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
    clients.add(client);
    return client;
  }

  /** Whether the bridge has closed {@code client} (end of stream or reset). */
  private static boolean closedByPeer(Socket client) throws IOException {
    client.setSoTimeout(20);
    try {
      return client.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  @Test
  void closesConnectionsBeyondThePerSourceCapAndAddsNoThreads() throws Exception {
    start(new TcpSettings(50, 20, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    int before = threads();
    for (int i = 0; i < 300; i++) {
      connect();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.openConnections() == 20);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> clients.stream().filter(c -> uncheckedClosed(c)).count() == 280);
    assertThat(threads() - before).as("threads added by 300 connections").isLessThanOrEqualTo(2);
  }

  @Test
  void closesConnectionsBeyondTheTotalCap() throws Exception {
    start(new TcpSettings(50, 50, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    int before = threads();
    for (int i = 0; i < 300; i++) {
      connect();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.openConnections() == 50);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> clients.stream().filter(c -> uncheckedClosed(c)).count() == 250);
    assertThat(threads() - before).isLessThanOrEqualTo(2);
    // closing some makes room again
    for (int i = 0; i < 10; i++) {
      clients.get(i).close();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.openConnections() == 40);
    Socket late = connect();
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.openConnections() == 41);
    assertThat(closedByPeer(late)).isFalse();
  }

  @Test
  void closesAnIdleConnectionAfterTheIdleTimeout() throws Exception {
    start(new TcpSettings(50, 20, Duration.ofMillis(800), Duration.ofMinutes(5)));
    Socket idle = connect();
    Socket keptAlive = connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.openConnections() == 2);
    // CRLF keepalives (RFC 5626 §4.4.1) count as activity but start no message
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              keptAlive.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              return uncheckedClosed(idle);
            });
    assertThat(closedByPeer(keptAlive)).isFalse();
    assertThat(stack.openConnections()).isEqualTo(1);
  }

  @Test
  void closesAConnectionWhoseMessageNeverEnds() throws Exception {
    start(new TcpSettings(50, 20, Duration.ofMinutes(5), Duration.ofMillis(600)));
    Socket slow = connect();
    Socket quiet = connect();
    OutputStream out = slow.getOutputStream();
    out.write("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9".getBytes());
    // a byte now and then keeps it from idling, not from the message timeout
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                out.write('9');
              } catch (IOException e) {
                return true;
              }
              return uncheckedClosed(slow);
            });
    assertThat(closedByPeer(quiet)).as("a connection that sent nothing stays").isFalse();
    assertThat(stack.openConnections()).isEqualTo(1);
  }

  private static boolean uncheckedClosed(Socket client) {
    try {
      return closedByPeer(client);
    } catch (IOException e) {
      return true;
    }
  }
}

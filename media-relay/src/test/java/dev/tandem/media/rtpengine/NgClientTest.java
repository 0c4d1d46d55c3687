package dev.tandem.media.rtpengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NG transport against an in-JVM UDP peer that misbehaves on purpose. */
class NgClientTest {
  private DatagramSocket peer;
  private Thread peerThread;
  private final List<String> received = new ArrayList<>();

  /** Starts a UDP peer that answers each datagram with {@code answer.apply(cookie, count)}. */
  private InetSocketAddress peer(Function<Integer, String> answerForNth) throws Exception {
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peerThread =
        new Thread(
            () -> {
              byte[] buffer = new byte[65535];
              int n = 0;
              while (!peer.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                  peer.receive(packet);
                } catch (Exception e) {
                  return;
                }
                String text = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
                synchronized (received) {
                  received.add(text);
                }
                String cookie = text.substring(0, text.indexOf(' '));
                String answer = answerForNth.apply(++n);
                if (answer != null) {
                  byte[] out = (cookie + " " + answer).getBytes(StandardCharsets.UTF_8);
                  try {
                    peer.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
                  } catch (Exception e) {
                    return;
                  }
                }
              }
            });
    peerThread.start();
    return (InetSocketAddress) peer.getLocalSocketAddress();
  }

  @AfterEach
  void stop() throws Exception {
    if (peer != null) {
      peer.close();
      peerThread.join(2000);
    }
  }

  @Test
  void sendsCookieAndBencodedCommandAndReturnsTheAnswer() throws Exception {
    try (NgClient client =
        new NgClient(
            peer(n -> "d6:result4:ponge"), Duration.ofMillis(200), Duration.ofSeconds(2))) {
      Map<String, Object> answer =
          client.request(Map.of("command", "ping")).get(2, TimeUnit.SECONDS);
      assertThat(answer).containsEntry("result", "pong");
      assertThat(received.get(0)).matches("[0-9a-f]{16} d7:command4:pinge");
    }
  }

  @Test
  void tellsItsObserverHowEachCommandEnded() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (NgClient client =
        new NgClient(
            peer(n -> n == 1 ? "d6:result4:ponge" : "d12:error-reason4:nope6:result5:errore"),
            Duration.ofMillis(200),
            Duration.ofSeconds(2))) {
      client.observe(
          new NgObserver() {
            @Override
            public void answered(String command, long elapsedNanos) {
              seen.add(command + " answered" + (elapsedNanos > 0 ? "" : " in no time"));
            }

            @Override
            public void failed(String command, NgException.Kind kind) {
              seen.add(command + " " + kind);
            }
          });
      client.request(Map.of("command", "ping")).get(2, TimeUnit.SECONDS);
      assertThatThrownBy(() -> client.request(Map.of("command", "delete")).join())
          .isInstanceOf(CompletionException.class);
      // the observer runs as the answer completes, maybe just after the caller woke up
      Awaitility.await()
          .atMost(Duration.ofSeconds(2))
          .untilAsserted(() -> assertThat(seen).containsExactly("ping answered", "delete ERROR"));
    }
  }

  @Test
  void retransmitsWithTheSameCookieUntilAnswered() throws Exception {
    try (NgClient client =
        new NgClient(
            peer(n -> n < 3 ? null : "d6:result2:oke"),
            Duration.ofMillis(50),
            Duration.ofSeconds(2))) {
      assertThat(client.request(Map.of("command", "ping")).get(2, TimeUnit.SECONDS))
          .containsEntry("result", "ok");
      synchronized (received) {
        // answered on the third copy; under load a fourth may leave before the answer is read
        assertThat(received).hasSizeGreaterThanOrEqualTo(3);
        assertThat(received.stream().map(r -> r.substring(0, 16)).distinct()).hasSize(1);
      }
    }
  }

  @Test
  void failsWithTimeoutWhenNobodyAnswers() throws Exception {
    try (NgClient client =
        new NgClient(peer(n -> null), Duration.ofMillis(50), Duration.ofMillis(300))) {
      assertThatThrownBy(() -> client.request(Map.of("command", "ping")).join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOf(NgException.class)
          .hasMessageContaining("no answer from rtpengine")
          .extracting(e -> ((NgException) e).kind())
          .isEqualTo(NgException.Kind.TIMEOUT);
    }
  }

  @Test
  void mapsErrorAnswersToTheirReason() throws Exception {
    try (NgClient client =
        new NgClient(
            peer(n -> "d12:error-reason15:Unknown call-id6:result5:errore"),
            Duration.ofMillis(200),
            Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> client.request(Map.of("command", "delete", "call-id", "x")).join())
          .cause()
          .isInstanceOf(NgException.class)
          .hasMessage("error: Unknown call-id")
          .extracting(e -> ((NgException) e).kind())
          .isEqualTo(NgException.Kind.ERROR);
    }
  }

  @Test
  void mapsUndecodableAnswersToProtocolErrors() throws Exception {
    try (NgClient client =
        new NgClient(peer(n -> "d6:result"), Duration.ofMillis(200), Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> client.request(Map.of("command", "ping")).join())
          .cause()
          .extracting(e -> ((NgException) e).kind())
          .isEqualTo(NgException.Kind.PROTOCOL);
    }
  }

  @Test
  void closingFailsWaitingRequests() throws Exception {
    NgClient client = new NgClient(peer(n -> null), Duration.ofMillis(100), Duration.ofSeconds(10));
    var answer = client.request(Map.of("command", "ping"));
    client.close();
    assertThatThrownBy(answer::join)
        .cause()
        .extracting(e -> ((NgException) e).kind())
        .isEqualTo(NgException.Kind.IO);
  }
}

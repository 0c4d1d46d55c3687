package dev.tandem.app.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tandem.app.config.EventsSettings.WebhooksSettings;
import dev.tandem.core.events.CallEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Webhooks against a real HTTP receiver on loopback (the JDK's HttpServer). */
class WebhooksTest {
  private static final String SECRET = "0123456789abcdef-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the receiver got: the event ids in order, and whether each signature checked out. */
  private final List<String> received = Collections.synchronizedList(new ArrayList<>());

  private final List<String> badSignatures = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> timestamps = Collections.synchronizedList(new ArrayList<>());

  /** Answers for the next deliveries, in order (then 200). */
  private final List<Integer> answers = Collections.synchronizedList(new ArrayList<>());

  private final AtomicInteger attempts = new AtomicInteger();
  private HttpServer server;
  private Webhooks webhooks;

  @AfterEach
  void stop() {
    if (webhooks != null) {
      webhooks.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  private int receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    WebhookSignature signature = new WebhookSignature(SECRET);
    server.createContext(
        "/hook",
        exchange -> {
          attempts.incrementAndGet();
          byte[] body = exchange.getRequestBody().readAllBytes();
          String timestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP);
          String signed = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE);
          int status = answers.isEmpty() ? 200 : answers.remove(0);
          JsonNode event = JSON.readTree(body);
          if (timestamp == null || signed == null || !signature.verify(timestamp, body, signed)) {
            badSignatures.add(event.get("id").asText());
          } else if (status == 200) {
            timestamps.add(Long.parseLong(timestamp));
            received.add(event.get("id").asText());
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server.getAddress().getPort();
  }

  private Webhooks webhooks(int port, int queue) {
    webhooks =
        new Webhooks(
            new WebhooksSettings(
                List.of("http://127.0.0.1:" + port + "/hook"),
                Optional.of(SECRET),
                Duration.ofSeconds(2),
                queue,
                Duration.ofMillis(20),
                Duration.ofMillis(200)),
            Clock.systemUTC());
    return webhooks;
  }

  private static List<String> ids(List<CallEvent> events) {
    return events.stream().map(CallRecordJson::id).toList();
  }

  @Test
  void eachEventIsPostedSignedAndInOrder() throws Exception {
    Webhooks hooks = webhooks(receiver(0), 100);
    List<CallEvent> first = SampleCalls.events("a1");
    List<CallEvent> second = SampleCalls.events("b2");
    for (int i = 0; i < 4; i++) {
      hooks.on(first.get(i));
      hooks.on(second.get(i));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 8);
    assertThat(received.stream().filter(id -> id.startsWith("a1.")).toList())
        .containsExactlyElementsOf(ids(first));
    assertThat(received.stream().filter(id -> id.startsWith("b2.")).toList())
        .containsExactlyElementsOf(ids(second));
    assertThat(badSignatures).isEmpty();
    assertThat(timestamps)
        .allSatisfy(
            t ->
                assertThat(t)
                    .isCloseTo(
                        Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L)));
    assertThat(hooks.delivered()).isEqualTo(8);
  }

  @Test
  void aSignatureWithAnotherSecretOrAnotherBodyDoesNotVerify() {
    WebhookSignature ours = new WebhookSignature(SECRET);
    byte[] body = "{\"id\":\"x.started\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String signed = ours.sign(1_796_000_000L, body);
    assertThat(signed).startsWith("sha256=").hasSize(7 + 64);
    assertThat(ours.verify("1796000000", body, signed)).isTrue();
    assertThat(ours.verify("1796000001", body, signed)).as("another timestamp").isFalse();
    assertThat(new WebhookSignature("another-secret-0000").verify("1796000000", body, signed))
        .isFalse();
    body[2] ^= 1;
    assertThat(ours.verify("1796000000", body, signed)).as("another body").isFalse();
  }

  @Test
  void failedDeliveriesAreRetriedAndTheOrderKept() throws Exception {
    answers.addAll(List.of(503, 500, 429));
    Webhooks hooks = webhooks(receiver(0), 100);
    SampleCalls.events("c3").forEach(hooks::on);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 4);
    assertThat(received).containsExactlyElementsOf(ids(SampleCalls.events("c3")));
    assertThat(attempts.get()).as("three failures, then each event once").isEqualTo(7);
  }

  @Test
  void anEventTheReceiverRefusesIsDroppedAndTheNextOnesGoOn() throws Exception {
    answers.add(400);
    Webhooks hooks = webhooks(receiver(0), 100);
    SampleCalls.events("d4").forEach(hooks::on);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
    assertThat(received).containsExactly("d4.ringing", "d4.answered", "d4.ended");
    assertThat(hooks.dropped()).isEqualTo(1);
  }

  @Test
  void aReceiverThatIsDownGetsEveryEventUpToTheBoundOnceItIsBack() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Webhooks hooks = webhooks(port, 6); // nothing listens on the port yet
    List<CallEvent> events = new ArrayList<>(SampleCalls.events("e5"));
    events.addAll(SampleCalls.events("f6"));
    events.forEach(hooks::on);
    // six wait (seven, once the sender holds the first): an event that finds no room is dropped
    await().atMost(Duration.ofSeconds(5)).until(() -> hooks.dropped() >= 1);
    long kept = events.size() - hooks.dropped();
    assertThat(kept).isBetween(6L, 7L);
    receiver(port);
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == kept);
    List<String> sent = ids(events);
    assertThat(received).as("each once").doesNotHaveDuplicates().isSubsetOf(sent);
    assertThat(received.stream().map(sent::indexOf).toList()).as("in order").isSorted();
    assertThat(received.subList(0, 6)).as("the first six always").isEqualTo(sent.subList(0, 6));
    assertThat(hooks.delivered()).isEqualTo(kept);
  }
}

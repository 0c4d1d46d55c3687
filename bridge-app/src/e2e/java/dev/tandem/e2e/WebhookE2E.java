package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Call events with real peers (docs/events.md): Chromium calls SIPp through the bridge (SIPp
 * echoing the audio; through the embedded relay, and through rtpengine); a webhook receiver checks each delivery's signature as a real
 * receiver would (its own HMAC, not the bridge's code) and sees started → ringing → answered →
 * ended; the call-record file has the call with SIPp's Call-ID, the 200 and media both ways. Then
 * the receiver goes down: the next call goes on regardless, and all its events arrive, in order,
 * once the receiver is back. A call still up when the bridge stops is recorded and sent as ended by
 * server-shutdown before the bridge exits.
 */
@RealPeers({"chromium", "sipp", "rtpengine"})
@ParameterizedClass(name = "media backend {0}")
@ValueSource(strings = {"embedded", "rtpengine"})
class WebhookE2E {
  /** The media figures come from each backend: the relay's counters, rtpengine's delete answer. */
  @Parameter String backend;

  private static final String SECRET = "e2e-webhook-secret-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Rtpengine rtpengine;
  private TandemProcess tandem;
  private Process sipp;
  private Process receiver;
  private int receiverPort;
  private Path deliveries;
  private Path records;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    rtpengine = Rtpengine.start(dir, ns);
    int sippPort = FreePorts.next();
    receiverPort = FreePorts.next();
    deliveries = dir.resolve("deliveries.txt");
    records = dir.resolve("calls.jsonl");
    receiver = WebhookReceiver.start(ns, receiverPort, deliveries);
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            pbx:
              host: 127.0.0.1
              port: %d
          dial-plan:
            - name: extensions
              pattern: "[0-9]{3,4}"
              destination: pbx
          permissions:
            everyone: [extensions]
        media:
          backend: %s
          rtpengine:
            port: %d
          embedded:
            port-min: 42000
            port-max: 42199
        events:
          records:
            file: %s
          webhooks:
            urls: ["http://127.0.0.1:%d/hook"]
            secret: "%s"
            timeout: 2s
            retry-min: 200ms
            retry-max: 1s
        """
            .formatted(sippPort, backend, rtpengine.ngPort, records, receiverPort, SECRET));
    // a phone that rings for 300 ms, answers, echoes the RTP; three calls
    Path scenario = dir.resolve("uas-ring-answer.xml");
    try (var in = WebhookE2E.class.getResourceAsStream("/sipp/uas-ring-answer.xml")) {
      Files.copy(in, scenario);
    }
    sipp = sipp("-sf", scenario.toString(), "-p", Integer.toString(sippPort), "-rtp_echo", "-m", "3");
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : new Process[] {sipp, receiver}) {
        if (p != null && p.isAlive()) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
      if (tandem != null) {
        tandem.close();
      }
      if (rtpengine != null) {
        rtpengine.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void aCallsEventsArriveSignedAndInOrderAlsoAfterTheReceiverWasDown() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      call(alice);

      List<JsonNode> first = awaitEvents(4);
      String callId = first.get(0).at("/call/callId").asText();
      assertThat(first).extracting(e -> e.get("type").asText())
          .containsExactly("call.started", "call.ringing", "call.answered", "call.ended");
      assertThat(first).extracting(e -> e.at("/call/callId").asText()).containsOnly(callId);
      assertThat(first).extracting(e -> e.get("id").asText())
          .containsExactly(callId + ".started", callId + ".ringing", callId + ".answered", callId + ".ended");
      JsonNode ended = first.get(3).get("call");
      assertThat(ended.get("direction").asText()).isEqualTo("outbound");
      assertThat(ended.get("from").asText()).isEqualTo("alice");
      assertThat(ended.get("destination").asText()).isEqualTo("pbx");
      assertThat(ended.get("endReason").asText()).isEqualTo("hangup");
      assertThat(ended.get("sipCode").asInt()).isEqualTo(200);
      assertThat(ended.get("setupMillis").asLong()).isPositive();

      JsonNode record = awaitRecords(1).get(0);
      assertThat(record.get("callId").asText()).isEqualTo(callId);
      String sipCallId = record.get("sipCallId").asText();
      assertThat(sippMessages()).as("the record's SIP Call-ID is the one SIPp saw").contains("Call-ID: " + sipCallId);
      assertThat(record.get("sipCode").asInt()).isEqualTo(200);
      assertThat(record.at("/media/fromBrowser/packets").asLong())
          .as("Chromium's audio reached the relay: %s\n== tandem\n%s", record, tandem.output())
          .isPositive();
      assertThat(record.at("/media/fromSip/packets").asLong()).as("SIPp's echo reached the relay").isPositive();
      assertThat(record.get("ended").asText()).isEqualTo(ended.get("ended").asText());

      // the receiver goes down: the next call goes on, its events wait
      WebhookReceiver.stop(receiver);
      call(alice);
      awaitRecords(2);
      await("the bridge retrying the receiver")
          .atMost(Duration.ofSeconds(10))
          .until(() -> tandem.output().contains("webhook receiver http://127.0.0.1:" + receiverPort + "/hook failed"));
      assertThat(readDeliveries()).hasSize(4);

      receiver = WebhookReceiver.start(ns, receiverPort, deliveries);
      List<JsonNode> all = awaitEvents(8);
      List<JsonNode> second = all.subList(4, 8);
      String secondId = awaitRecords(2).get(1).get("callId").asText();
      assertThat(second).extracting(e -> e.get("id").asText())
          .containsExactly(secondId + ".started", secondId + ".ringing", secondId + ".answered", secondId + ".ended");
      assertThat(tandem.output()).contains("webhook receiver http://127.0.0.1:" + receiverPort + "/hook takes events again");
      assertThat(tandem.output()).contains("dev.tandem.calls").contains("outbound alice -> 1000 via pbx: answered, hangup, SIP 200");

      // a call still up when the bridge stops ends with server-shutdown: recorded and sent
      alice.dial("1000");
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 10);
      assertThat(tandem.terminate(Duration.ofSeconds(20))).as(tandem.output()).isZero();
      JsonNode last = awaitRecords(3).get(2);
      assertThat(last.get("endReason").asText()).isEqualTo("server-shutdown");
      assertThat(last.at("/media/fromBrowser/packets").asLong()).isPositive();
      List<JsonNode> third = awaitEvents(12).subList(8, 12);
      assertThat(third).extracting(e -> e.get("type").asText())
          .containsExactly("call.started", "call.ringing", "call.answered", "call.ended");
      assertThat(third.get(3).at("/call/callId").asText()).isEqualTo(last.get("callId").asText());
    }
  }

  /** Alice calls SIPp, hears its echo, hangs up. */
  private void call(Softphone alice) {
    alice.dial("1000");
    try {
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 25);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + sippMessages() + "\n== tandem\n" + tandem.output(), e);
    }
    alice.hangUp();
    alice.awaitCallState("Ended: hangup");
  }

  /** The deliveries so far, each checked as a receiver checks it: signature and timestamp. */
  private List<JsonNode> readDeliveries() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    if (!Files.exists(deliveries)) {
      return events;
    }
    for (String line : Files.readAllLines(deliveries)) {
      String[] parts = line.split(" ");
      byte[] body = Base64.getDecoder().decode(parts[2]);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((parts[0] + ".").getBytes(StandardCharsets.US_ASCII));
      String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      assertThat(MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts[1].getBytes(StandardCharsets.US_ASCII)))
          .as("signature of " + new String(body, StandardCharsets.UTF_8))
          .isTrue();
      assertThat(Long.parseLong(parts[0])).as("a fresh timestamp").isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
      events.add(JSON.readTree(body));
    }
    return events;
  }

  private List<JsonNode> awaitEvents(int count) throws Exception {
    try {
      await("%d webhook deliveries".formatted(count))
          .atMost(Duration.ofSeconds(15))
          .until(() -> readDeliveries().size() >= count);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "; received " + readDeliveries().size() + "\n== tandem\n" + tandem.output(), e);
    }
    List<JsonNode> events = readDeliveries();
    assertThat(events).as("each event once").hasSize(count);
    return events;
  }

  private List<JsonNode> awaitRecords(int count) throws IOException {
    await("%d call records".formatted(count))
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(records) && Files.readAllLines(records).size() >= count);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(records)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private Process sipp(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-mp", Integer.toString(FreePorts.consecutive(4)),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin", "-trace_err", "-trace_msg"));
    return new ProcessBuilder(ns.wrap(command))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("sipp.out").toFile())
        .start();
  }

  private String sippMessages() {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_messages.log")).toList()) {
        text.append(Files.readString(f));
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text.toString();
  }
}

package dev.tandem.ws.socket;

import static dev.tandem.ws.socket.TestClient.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.core.call.CallSettings;
import dev.tandem.core.call.Outcome;
import dev.tandem.core.call.SessionSettings;
import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.vocabulary.Refusal;
import dev.tandem.ws.HttpSettings;
import dev.tandem.ws.auth.Authenticator;
import dev.tandem.ws.auth.DevelopmentUsers;
import dev.tandem.ws.http.HttpServer;
import dev.tandem.ws.http.IceServersHandler;
import dev.tandem.ws.ice.IceServerProvider;
import dev.tandem.ws.ice.IceServerSettings;
import dev.tandem.ws.ice.IceSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser protocol over a real WebSocket: every method, every error, multi-tab ringing, resume
 * and the limits, against the real endpoint and switchboard.
 */
class BrowserProtocolTest {
  private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String ANSWER = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private SignalingLoop loop;
  private Switchboard board;
  private HttpServer http;
  private WebSocketClient client;
  private int port;
  private final List<TestClient> clients = new ArrayList<>();
  private volatile Long frozenNanos;
  private final BrowserCounters counters = new BrowserCounters();

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    loop = new SignalingLoop();
    board =
        new Switchboard(
            loop,
            loop,
            new SessionSettings(Duration.ofSeconds(2), 2, 100),
            new CallSettings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30)),
            sdp ->
                sdp.startsWith("v=0")
                    ? Optional.empty()
                    : Optional.of(
                        new Outcome.Refused(
                            Refusal.BAD_SDP,
                            "line 1: the first line must be v=",
                            OptionalInt.of(1))));
    Clock clock = Clock.systemUTC();
    IceServerProvider ice =
        new IceServerProvider(
            new IceSettings(
                List.of(
                    new IceServerSettings(
                        List.of("turn:127.0.0.1:3478?transport=udp"), "", "", "s3cret")),
                Duration.ofHours(1)),
            clock);
    http =
        new HttpServer(
            new HttpSettings("127.0.0.1", port, Duration.ofSeconds(30)),
            Duration.ofSeconds(1),
            new Readiness());
    WsSettings ws =
        new WsSettings(
            4096,
            50,
            20,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            List.of("https://app.example"));
    Authenticator authenticator = new Authenticator(DevelopmentUsers.settings(), clock);
    new BrowserEndpoint(
            new WsLimits(ws),
            board,
            authenticator,
            ice,
            loop,
            Duration.ofSeconds(2),
            () -> {
              Long frozen = frozenNanos;
              return frozen != null ? frozen : System.nanoTime();
            },
            counters)
        .mount(http);
    http.route("/api/ice-servers", new IceServersHandler(authenticator, ice));
    http.start();
    client = new WebSocketClient();
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    // every frame of every test, both ways, must match docs/schemas
    List<String> problems = new ArrayList<>();
    clients.forEach(c -> problems.addAll(c.schemaProblems()));
    clients.forEach(TestClient::close);
    client.stop();
    board.shutdown().get(5, TimeUnit.SECONDS);
    http.stop();
    loop.close();
    assertThat(problems).as("frames that do not match docs/schemas").isEmpty();
  }

  private TestClient connect() throws Exception {
    TestClient c = TestClient.connect(client, port);
    clients.add(c);
    return c;
  }

  private TestClient login(String user) throws Exception {
    TestClient c = connect();
    JsonNode result =
        c.result("session.authenticate", params("user", user, "password", user + "-dev"));
    assertThat(result.get("user").asText()).isEqualTo(user);
    return c;
  }

  private static int errorCode(JsonNode response) {
    assertThat(response.has("error")).as("an error: %s", response).isTrue();
    return response.get("error").get("code").asInt();
  }

  @Test
  void authenticatesDevUsersAndHandsOutTurnCredentials() throws Exception {
    TestClient alice = connect();
    JsonNode result =
        alice.result("session.authenticate", params("user", "alice", "password", "alice-dev"));
    assertThat(result.get("sessionId").asText()).isNotEmpty();
    assertThat(result.get("resumeToken").asText()).startsWith("node.").hasSizeGreaterThan(20);
    assertThat(result.get("node").asText()).as("a bridge given no node id").isEqualTo("node");
    assertThat(result.get("resumeGraceSeconds").asInt()).isEqualTo(2);
    JsonNode turn = result.get("iceServers").get(0);
    assertThat(turn.get("urls").get(0).asText()).isEqualTo("turn:127.0.0.1:3478?transport=udp");
    assertThat(turn.get("username").asText()).endsWith(":alice");
    assertThat(turn.get("credential").asText()).isNotEmpty();
    assertThat(result.get("iceServersExpireAt").asLong())
        .isGreaterThan(System.currentTimeMillis() / 1000);

    JsonNode again = alice.result("iceServers.get", params());
    assertThat(again.get("iceServers").get(0).get("username").asText()).endsWith(":alice");
  }

  @Test
  void refusesWrongPasswordsAndRequestsBeforeAuthentication() throws Exception {
    TestClient c = connect();
    assertThat(errorCode(c.call("call.invite", params("to", "bob", "sdp", OFFER)))).isEqualTo(4001);
    assertThat(
            errorCode(c.call("session.authenticate", params("user", "alice", "password", "nope"))))
        .isEqualTo(4002);
    assertThat(c.result("ping", params()).get("time").asLong()).isPositive();
  }

  private HttpResponse<String> iceServers(String user, String password) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ice-servers"))
                .header("Authorization", "Basic " + basic)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void wrongPasswordsAreThrottledPerUserAndAddressOverHttpAndTheWebSocket() throws Exception {
    for (int i = 0; i < 6; i++) {
      assertThat(iceServers("alice", "guess" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> right = iceServers("alice", "alice-dev");
    assertThat(right.statusCode()).isEqualTo(429);
    assertThat(right.headers().firstValue("Retry-After")).contains("1");
    // the same user on the WebSocket, and another user from the same address
    for (String user : List.of("alice", "bob")) {
      JsonNode refused =
          connect().call("session.authenticate", params("user", user, "password", user + "-dev"));
      assertThat(errorCode(refused)).isEqualTo(4029);
      assertThat(refused.get("error").get("message").asText())
          .isEqualTo("too many failed logins: retry in 1 s");
      assertThat(refused.get("error").get("data").get("retryAfter").asInt()).isEqualTo(1);
    }
  }

  @Test
  void wrongPasswordsOnTheWebSocketCountTowardTheThrottleToo() throws Exception {
    // two wrong passwords per connection stay below ws.max-violations (3)
    for (int i = 0; i < 3; i++) {
      TestClient c = connect();
      for (int j = 0; j < 2; j++) {
        assertThat(
                errorCode(
                    c.call("session.authenticate", params("user", "carol", "password", "guess"))))
            .isEqualTo(4002);
      }
    }
    assertThat(iceServers("carol", "carol-dev").statusCode()).isEqualTo(429);
  }

  @Test
  void badFramesGetTypedErrorsAndTheConnectionGoesOn() throws Exception {
    TestClient alice = login("alice");
    alice.sendRaw("{not json");
    assertThat(errorCode(alice.nextResponse())).isEqualTo(-32700);
    alice.sendRaw("[1,2]");
    assertThat(errorCode(alice.nextResponse())).isEqualTo(-32600);
    alice.sendRaw("{\"jsonrpc\":\"2.0\",\"id\":7,\"id\":8,\"method\":\"ping\"}");
    assertThat(errorCode(alice.nextResponse())).isEqualTo(-32700);
    alice.sendRaw("{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}");
    assertThat(errorCode(alice.nextResponse())).isEqualTo(-32600);
    assertThat(errorCode(alice.call("call.teleport", params()))).isEqualTo(-32601);

    JsonNode missing = alice.call("call.invite", params("to", "bob"));
    assertThat(errorCode(missing)).isEqualTo(-32602);
    assertThat(missing.get("error").get("data").get("field").asText()).isEqualTo("sdp");
    JsonNode wrongType = alice.call("call.invite", params("to", 42, "sdp", OFFER));
    assertThat(wrongType.get("error").get("message").asText())
        .isEqualTo("params.to: must be a string");
    assertThat(errorCode(alice.call("call.hangup", params("callId", "no such id!"))))
        .isEqualTo(-32602);
    assertThat(errorCode(alice.call("call.hangup", params("callId", "unknown")))).isEqualTo(4004);

    assertThat(alice.isOpen()).isTrue();
    assertThat(alice.result("ping", params()).has("time")).isTrue();
  }

  @Test
  void badSdpIsRefusedNamingTheLine() throws Exception {
    TestClient alice = login("alice");
    login("bob");
    JsonNode response = alice.call("call.invite", params("to", "bob", "sdp", "o=nonsense"));
    assertThat(errorCode(response)).isEqualTo(4088);
    assertThat(response.get("error").get("data").get("line").asInt()).isEqualTo(1);
  }

  @Test
  void anAnonymousInviteReachesCoreAndABadFlagIsAnInvalidParam() throws Exception {
    TestClient alice = login("alice");
    login("bob");
    JsonNode refused =
        alice.call("call.invite", params("to", "bob", "sdp", OFFER, "anonymous", true));
    assertThat(errorCode(refused)).isEqualTo(4003);
    assertThat(refused.get("error").get("message").asText())
        .contains("anonymous calls go to SIP destinations only");
    JsonNode bad = alice.call("call.invite", params("to", "bob", "sdp", OFFER, "anonymous", "yes"));
    assertThat(bad.get("error").get("message").asText())
        .isEqualTo("params.anonymous: must be true or false");
  }

  @Test
  void callsABrowserRelayingSdpCandidatesAndHangup() throws Exception {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    String callId =
        alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    assertThat(alice.next("call.ringing").get("callId").asText()).isEqualTo(callId);
    assertThat(alice.kinds()).as("the invite's response came before call.ringing").isEmpty();

    JsonNode incoming = bob.next("call.incoming");
    assertThat(incoming.get("from").asText()).isEqualTo("alice");
    assertThat(incoming.get("sdp").asText()).isEqualTo(OFFER);

    JsonNode candidate =
        TestClient.JSON.readTree(
            "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
    alice.result("call.candidate", params("callId", callId, "candidate", candidate));
    bob.result("call.answer", params("callId", callId, "sdp", ANSWER));
    JsonNode answered = alice.next("call.answered");
    assertThat(answered.get("sdp").asText()).isEqualTo(ANSWER);
    assertThat(answered.get("dtmf").asText())
        .as("browser to browser: DTMF through the bridge")
        .isEqualTo("signaling");
    assertThat(bob.next("call.candidate").get("candidate").get("candidate").asText())
        .startsWith("candidate:1 1 udp");

    bob.result("call.candidate", params("callId", callId, "candidate", null));
    assertThat(alice.next("call.candidate").get("candidate").isNull()).isTrue();

    bob.result("call.update", params("callId", callId, "type", "offer", "sdp", OFFER));
    assertThat(alice.next("call.update").get("type").asText()).isEqualTo("offer");
    bob.result("call.dtmf", params("callId", callId, "digits", "5#"));
    assertThat(alice.next("call.dtmf").get("digit").asText()).isEqualTo("5");

    alice.result("call.hangup", params("callId", callId));
    assertThat(bob.next("call.ended").get("reason").asText()).isEqualTo("remote-hangup");
    assertThat(alice.next("call.ended").get("reason").asText()).isEqualTo("hangup");
    assertThat(board.counts().get().calls()).isZero();
  }

  @Test
  void theResponseToARequestComesBeforeTheEventsItCaused() throws Exception {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    String callId =
        alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    bob.next("call.incoming");
    int reject = bob.send("call.reject", params("callId", callId));
    bob.response(reject);
    bob.next("call.ended");
    assertThat(bob.arrivals())
        .as("docs/protocol.md: the response first")
        .containsSubsequence("response " + reject, "call.ended");
    alice.next("call.ended");

    callId = alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    bob.result("call.answer", params("callId", callId, "sdp", ANSWER));
    alice.next("call.answered");
    int hangup = alice.send("call.hangup", params("callId", callId));
    alice.response(hangup);
    alice.next("call.ended");
    List<String> arrivals = alice.arrivals();
    assertThat(arrivals.indexOf("response " + hangup))
        .as("call.hangup answered before call.ended: %s", arrivals)
        .isNotNegative()
        .isLessThan(arrivals.lastIndexOf("call.ended"));
  }

  @Test
  void ringsEveryTabAndTellsTheOthersAnsweredElsewhere() throws Exception {
    TestClient alice = login("alice");
    TestClient bob1 = login("bob");
    TestClient bob2 = login("bob");
    String callId =
        alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    bob1.next("call.incoming");
    bob2.next("call.incoming");
    bob2.result("call.answer", params("callId", callId, "sdp", ANSWER));
    assertThat(bob1.next("call.ended").get("reason").asText()).isEqualTo("answered-elsewhere");
    alice.next("call.answered");
  }

  @Test
  void aCallToAnOfflineUserEndsUnavailable() throws Exception {
    TestClient alice = login("alice");
    alice.result("call.invite", params("to", "carol", "sdp", OFFER));
    assertThat(alice.next("call.ended").get("reason").asText()).isEqualTo("unavailable");
  }

  @Test
  void aDroppedConnectionResumesWithItsCallsAndMissedEvents() throws Exception {
    TestClient alice = connect();
    String token =
        alice
            .result("session.authenticate", params("user", "alice", "password", "alice-dev"))
            .get("resumeToken")
            .asText();
    TestClient bob = login("bob");
    String callId =
        alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    bob.next("call.incoming");
    bob.result("call.answer", params("callId", callId, "sdp", ANSWER));
    alice.next("call.answered");

    alice.drop();
    alice.closed.get(5, TimeUnit.SECONDS);
    // the bridge may see the close after the client does: wait until the session is detached
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> board.detached().join() == 1);
    bob.result("call.update", params("callId", callId, "type", "offer", "sdp", OFFER));

    TestClient back = connect();
    JsonNode resumed = back.result("session.resume", params("resumeToken", token));
    assertThat(resumed.get("resumeToken").asText()).isNotEqualTo(token);
    assertThat(resumed.get("calls").get(0).get("callId").asText()).isEqualTo(callId);
    assertThat(resumed.get("calls").get(0).get("state").asText()).isEqualTo("active");
    assertThat(back.next("call.update").get("type").asText()).isEqualTo("offer");

    TestClient late = connect();
    assertThat(errorCode(late.call("session.resume", params("resumeToken", token))))
        .isEqualTo(4010);
  }

  @Test
  void callsEndWhenTheResumeGracePeriodRunsOut() throws Exception {
    TestClient alice = login("alice");
    TestClient bob = login("bob");
    String callId =
        alice.result("call.invite", params("to", "bob", "sdp", OFFER)).get("callId").asText();
    bob.result("call.answer", params("callId", callId, "sdp", ANSWER));
    alice.drop();
    assertThat(bob.next("call.ended").get("reason").asText()).isEqualTo("remote-hangup");
  }

  @Test
  void oversizedMessagesAreRefusedAndTheConnectionGoesOn() throws Exception {
    TestClient alice = login("alice");
    alice.send("ping", params("padding", "x".repeat(5000)));
    assertThat(errorCode(alice.nextResponse())).isEqualTo(4013);
    assertThat(alice.result("ping", params()).has("time")).isTrue();
    assertThat(counters.tooLargeMessages()).isEqualTo(1);
    assertThat(counters.rateLimitedMessages()).isZero();
  }

  @Test
  void floodingIsRateLimitedThenClosedWith1008() throws Exception {
    TestClient alice = login("alice");
    // the bucket refills with time: stop the bridge's clock, so that the burst (20) is all this
    // connection gets and every later frame is a violation, however slowly they come; frames go
    // a few ms apart so the client is not mid-write when the close arrives (a peer that keeps
    // writing into a closed connection may see a reset instead of the close frame)
    frozenNanos = System.nanoTime();
    for (int i = 0; i < 20 + 4 && !alice.closeFrame.isDone(); i++) {
      alice.send("ping", params());
      Thread.sleep(10);
    }
    assertThat(alice.closeFrame.get(5, TimeUnit.SECONDS))
        .as("the bridge closes with")
        .isEqualTo(1008);
    assertThat(alice.closed.get(5, TimeUnit.SECONDS)).as("and the connection ends").isNotNull();
    assertThat(alice.kinds()).isNotEmpty();
    boolean limited = false;
    for (int i = 0; i < 60; i++) {
      try {
        JsonNode r = alice.nextResponse();
        if (r.has("error") && r.get("error").get("code").asInt() == 4029) {
          limited = true;
          break;
        }
      } catch (AssertionError noMore) {
        break;
      }
    }
    assertThat(limited).as("told 4029 before being closed").isTrue();
    assertThat(counters.rateLimitedMessages()).isEqualTo(4);
    assertThat(counters.connectionsClosedForViolations()).isEqualTo(1);
  }

  @Test
  void unauthenticatedConnectionsAreClosedAfterTheTimeout() throws Exception {
    TestClient idle = connect();
    assertThat(idle.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4401);
  }

  @Test
  void limitsConnectionsPerUser() throws Exception {
    login("alice");
    login("alice");
    TestClient third = connect();
    assertThat(
            errorCode(
                third.call(
                    "session.authenticate", params("user", "alice", "password", "alice-dev"))))
        .isEqualTo(4031);
    assertThat(third.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
  }

  @Test
  void tenReloadsInARowDoNotLockTheUserOut() throws Exception {
    // sessions.max-per-user is 2 here: a cleanly closed session (1000) frees its place at once
    for (int reload = 0; reload < 10; reload++) {
      TestClient tab = login("alice");
      tab.close();
      assertThat(tab.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> board.counts().join().sessions() == 0);
    }
    // a dropped connection (no close frame) still keeps its place for the resume grace period
    login("alice").drop();
    login("alice");
    assertThat(
            errorCode(
                connect()
                    .call(
                        "session.authenticate", params("user", "alice", "password", "alice-dev"))))
        .isEqualTo(4031);
  }

  @Test
  void checksOriginAndSubprotocolAtTheUpgrade() throws Exception {
    // a refused origin is accepted only to be closed with 4403 and a reason the page can read
    TestClient evil = TestClient.connect(client, port, "tandem.v1", "https://evil.example");
    assertThat(evil.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4403);
    assertThat(evil.closeReason).isEqualTo("origin not allowed: https://evil.example");
    assertThat(counters.originsRefused()).isEqualTo(1);
    assertThatThrownBy(() -> TestClient.connect(client, port, null, null))
        .hasMessageContaining("400");
    clients.add(TestClient.connect(client, port, "tandem.v1", "https://app.example"));
    clients.add(TestClient.connect(client, port, "tandem.v1", "http://127.0.0.1:" + port));
  }
}

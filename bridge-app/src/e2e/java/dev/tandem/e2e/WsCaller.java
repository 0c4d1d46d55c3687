package dev.tandem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A browser without a browser: one {@code tandem.v1} WebSocket session (docs/protocol.md) that
 * signs in, places calls with a real Chromium offer and hangs up. It never does ICE or DTLS, so it
 * proves signaling and the media backend's allocation, not audio. Messages are read in order from
 * one queue; one call at a time.
 */
final class WsCaller implements WebSocket.Listener, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final Queue<JsonNode> stash = new ArrayDeque<>();
  private final AtomicLong ids = new AtomicLong();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** How a call placed with {@link #call} went. */
  record Outcome(String callId, boolean answered, JsonNode ended) {}

  static WsCaller signIn(int httpPort, String user, String password) throws Exception {
    WsCaller caller = new WsCaller();
    caller.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols("tandem.v1")
            .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), caller)
            .get(10, TimeUnit.SECONDS);
    JsonNode answer =
        caller.request(
            "session.authenticate",
            JSON.createObjectNode().put("user", user).put("password", password));
    if (answer.has("error")) {
      throw new AssertionError("sign-in refused: " + answer);
    }
    return caller;
  }

  /**
   * Invites {@code to} with {@code sdp} and waits up to {@code within} for {@code call.answered}
   * or {@code call.ended}.
   */
  Outcome call(String to, String sdp, Duration within) throws Exception {
    JsonNode answer =
        request("call.invite", JSON.createObjectNode().put("to", to).put("sdp", sdp));
    if (answer.has("error")) {
      return new Outcome(null, false, answer.get("error"));
    }
    String callId = answer.path("result").path("callId").asText();
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      JsonNode event = next(deadline, "call.answered or call.ended of " + callId);
      if (!callId.equals(event.path("params").path("callId").asText())) {
        continue;
      }
      switch (event.path("method").asText()) {
        case "call.answered" -> {
          return new Outcome(callId, true, null);
        }
        case "call.ended" -> {
          return new Outcome(callId, false, event.get("params"));
        }
        default -> {
          // ringing, progress, candidates
        }
      }
    }
  }

  /** Hangs up {@code callId} and waits for the bridge's answer. */
  void hangUp(String callId) throws Exception {
    JsonNode answer = request("call.hangup", JSON.createObjectNode().put("callId", callId));
    if (answer.has("error")) {
      throw new AssertionError("call.hangup refused: " + answer);
    }
  }

  /** Waits up to {@code within} for {@code call.ended} of {@code callId}; its params. */
  JsonNode awaitEnded(String callId, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      JsonNode event = next(deadline, "call.ended of " + callId);
      if ("call.ended".equals(event.path("method").asText())
          && callId.equals(event.path("params").path("callId").asText())) {
        return event.get("params");
      }
    }
  }

  private JsonNode request(String method, ObjectNode params) throws Exception {
    long id = ids.incrementAndGet();
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id);
    request.put("method", method).set("params", params);
    socket.sendText(request.toString(), true).get(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonNode message = poll(deadline, "the answer to " + method);
      if (message.path("id").asLong(-1) == id) {
        return message;
      }
      if (!message.has("id")) {
        stash.add(message); // a notification: kept for whoever waits for events
      }
    }
  }

  /** The next notification: those that came while waiting for an answer first. */
  private JsonNode next(long deadline, String what) throws InterruptedException {
    JsonNode stashed = stash.poll();
    return stashed != null ? stashed : poll(deadline, what);
  }

  private JsonNode poll(long deadline, String what) throws InterruptedException {
    JsonNode message = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (message == null) {
      throw new AssertionError("no " + what + " in time");
    }
    return message;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        received.add(JSON.readTree(partial.toString()));
      } catch (Exception e) {
        throw new IllegalStateException("unreadable frame: " + partial, e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
  }
}

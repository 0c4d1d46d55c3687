package dev.tandem.ws.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Frame;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A protocol client for tests: sends requests, waits for responses and notifications. */
public final class TestClient implements Session.Listener.AutoDemanding, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> frames = new ArrayList<>();

  /** Every frame sent and received, in order, for the schema check. */
  private final List<JsonNode> sent = new ArrayList<>();

  private final List<JsonNode> received = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  /** The reason of the close, once {@link #closed} is complete. */
  volatile String closeReason;

  /**
   * The status code of the close frame the bridge sent, as it arrived on the wire. A client that
   * keeps writing after the bridge closed (a flood test does) may see its own side end as 1006 when
   * its late writes fail; this is what the bridge said.
   */
  final CompletableFuture<Integer> closeFrame = new CompletableFuture<>();

  private Session session;

  static TestClient connect(WebSocketClient client, int port) throws Exception {
    return connect(client, port, "tandem.v1", null);
  }

  static TestClient connect(WebSocketClient client, int port, String subprotocol, String origin)
      throws Exception {
    TestClient test = new TestClient();
    ClientUpgradeRequest upgrade =
        new ClientUpgradeRequest(URI.create("ws://127.0.0.1:" + port + "/ws"));
    if (subprotocol != null) {
      upgrade.setSubProtocols(subprotocol);
    }
    if (origin != null) {
      upgrade.setHeader("Origin", origin);
    }
    client.connect(test, upgrade).get(5, TimeUnit.SECONDS);
    return test;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
  }

  private void text(String message) {
    try {
      JsonNode frame = JSON.readTree(message);
      synchronized (frames) {
        received.add(frame);
        frames.add(frame);
        frames.notifyAll();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every frame, as it arrived (Jetty allows a frame handler or a text handler, not both; the
   * bridge sends each message in one text frame).
   */
  @Override
  public void onWebSocketFrame(Frame frame, Callback callback) {
    if (frame.getType() == Frame.Type.TEXT) {
      text(StandardCharsets.UTF_8.decode(frame.getPayload().slice()).toString());
    } else if (frame.getType() == Frame.Type.CLOSE) {
      ByteBuffer payload = frame.getPayload();
      closeFrame.complete(
          payload == null || payload.remaining() < 2
              ? 1005 // RFC 6455 §7.1.5: no status code present
              : ((payload.get(payload.position()) & 0xff) << 8)
                  | (payload.get(payload.position() + 1) & 0xff));
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    closeReason = reason;
    closed.complete(statusCode);
    synchronized (frames) {
      frames.notifyAll();
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    // Upgrade refusals and closed channels are what several tests provoke on purpose.
  }

  void sendRaw(String text) {
    session.sendText(text, Callback.NOOP);
  }

  /** Sends a request and returns its id. */
  int send(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    ObjectNode frame = JSON.createObjectNode();
    frame.put("jsonrpc", "2.0");
    frame.put("id", id);
    frame.put("method", method);
    frame.set("params", params);
    synchronized (frames) {
      sent.add(frame);
    }
    sendRaw(frame.toString());
    return id;
  }

  /** Sends a request and waits for its response frame (result or error). */
  JsonNode call(String method, ObjectNode params) {
    return response(send(method, params));
  }

  /** Waits for the response to the request with this id. */
  JsonNode response(int id) {
    return take(f -> f.has("id") && f.get("id").asInt(-1) == id);
  }

  JsonNode result(String method, ObjectNode params) {
    JsonNode response = call(method, params);
    assertThat(response.has("result")).as("%s succeeds: %s", method, response).isTrue();
    return response.get("result");
  }

  /** Waits for the next notification with this method and returns its params. */
  JsonNode next(String method) {
    return take(f -> method.equals(f.path("method").asText())).get("params");
  }

  /** Waits for the next frame that has an id (a response). */
  JsonNode nextResponse() {
    return take(f -> f.has("id"));
  }

  /**
   * Every frame the bridge sent checked against its schema in docs/schemas, and every request this
   * client sent that the bridge accepted (tests send bad ones on purpose; those must get an error,
   * which is checked too). Returns the problems, empty when all conform.
   */
  List<String> schemaProblems() {
    List<String> problems = new ArrayList<>();
    synchronized (frames) {
      java.util.Map<Integer, JsonNode> requests = new java.util.HashMap<>();
      sent.forEach(r -> requests.put(r.get("id").asInt(), r));
      for (JsonNode frame : received) {
        if (frame.has("method")) {
          problems.addAll(
              ProtocolSchemas.problems(
                  "notification/" + frame.get("method").asText() + ".json", frame));
        } else if (frame.has("error")) {
          problems.addAll(ProtocolSchemas.problems("error.json", frame));
        } else {
          JsonNode request = requests.get(frame.path("id").asInt(-1));
          if (request == null) {
            problems.add("a result for no request of this client: " + frame);
            continue;
          }
          String method = request.get("method").asText();
          problems.addAll(ProtocolSchemas.problems("result/" + method + ".json", frame));
          problems.addAll(ProtocolSchemas.problems("request/" + method + ".json", request));
        }
      }
    }
    return problems;
  }

  /**
   * Every frame received since the connection opened, in the order it arrived, as the method of a
   * notification or "response &lt;id&gt;".
   */
  List<String> arrivals() {
    synchronized (frames) {
      return received.stream()
          .map(f -> f.has("method") ? f.get("method").asText() : "response " + f.path("id").asInt())
          .toList();
    }
  }

  /** Every frame received so far, in order, as "method" or "response". */
  List<String> kinds() {
    synchronized (frames) {
      return frames.stream()
          .map(f -> f.has("method") ? f.get("method").asText() : "response")
          .toList();
    }
  }

  JsonNode take(java.util.function.Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (frames) {
      while (true) {
        for (Iterator<JsonNode> it = frames.iterator(); it.hasNext(); ) {
          JsonNode frame = it.next();
          if (wanted.test(frame)) {
            it.remove();
            return frame;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching frame within 5 s; have " + frames);
        }
        try {
          frames.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  static ObjectNode params(Object... keyValues) {
    ObjectNode params = JSON.createObjectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
    }
    return params;
  }

  boolean isOpen() {
    return session != null && session.isOpen();
  }

  /**
   * Closes with 1001 (going away), which the bridge treats as a lost connection that may come back
   * (as 1006): unlike an abrupt disconnect, the close handshake tells the test when the bridge has
   * seen it.
   */
  void drop() {
    if (session != null && session.isOpen()) {
      session.close(1001, "going away", org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  /** Closes cleanly (1000), as the SDK's close() does. */
  @Override
  public void close() {
    if (session != null && session.isOpen()) {
      session.close();
    }
  }
}

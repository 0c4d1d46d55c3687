package dev.tandem.bench.cps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One synthetic browser: a WebSocket speaking {@code tandem.v1} (docs/protocol.md), signed in as a
 * development user, placing the calls {@link BrowserLoad} gives it. It never does ICE or DTLS: only
 * the signaling is measured.
 *
 * <p>Threading: {@link #invite} and {@link #hangup} are called from the load's threads; frames are
 * sent one at a time from a queue (the JDK WebSocket allows one outstanding send); received frames
 * are handled one at a time on the HTTP client's executor.
 */
final class BrowserSession implements WebSocket.Listener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Kind {
    AUTHENTICATE,
    INVITE,
    HANGUP
  }

  private record Pending(Kind kind, BrowserCall call) {}

  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, BrowserCall> calls = new ConcurrentHashMap<>();
  private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final CompletableFuture<Void> authenticated = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final BrowserLoad load;
  private WebSocket socket;
  volatile String closed;

  private BrowserSession(BrowserLoad load) {
    this.load = load;
  }

  static BrowserSession open(BrowserLoad load, HttpClient http, URI uri, String user)
      throws Exception {
    BrowserSession session = new BrowserSession(load);
    session.socket =
        http.newWebSocketBuilder()
            .subprotocols("tandem.v1")
            .buildAsync(uri, session)
            .get(10, TimeUnit.SECONDS);
    ObjectNode params = JSON.createObjectNode().put("user", user);
    params.put("password", BridgeProcess.PASSWORD);
    session.request(Kind.AUTHENTICATE, null, "session.authenticate", params);
    session.authenticated.get(10, TimeUnit.SECONDS);
    return session;
  }

  void invite(BrowserCall call, String to, String sdp) {
    ObjectNode params = JSON.createObjectNode().put("to", to).put("sdp", sdp);
    request(Kind.INVITE, call, "call.invite", params);
  }

  void hangup(BrowserCall call) {
    call.hungUp = true;
    request(Kind.HANGUP, call, "call.hangup", JSON.createObjectNode().put("callId", call.callId));
  }

  void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
  }

  private void request(Kind kind, BrowserCall call, String method, ObjectNode params) {
    long id = ids.incrementAndGet();
    pending.put(id, new Pending(kind, call));
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id);
    request.put("method", method).set("params", params);
    outbox.add(request.toString());
    drain();
  }

  private void drain() {
    while (!outbox.isEmpty() && sending.compareAndSet(false, true)) {
      String next = outbox.poll();
      if (next == null) {
        sending.set(false);
        continue;
      }
      socket
          .sendText(next, true)
          .whenComplete(
              (ws, error) -> {
                if (error != null) {
                  closed = "send failed: " + error;
                }
                sending.set(false);
                drain();
              });
      return;
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      long now = System.nanoTime();
      try {
        handle(JSON.readTree(partial.toString()), now);
      } catch (IOException e) {
        closed = "unreadable frame: " + e.getMessage();
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  private void handle(JsonNode message, long now) {
    JsonNode id = message.get("id");
    if (id != null && !id.isNull()) {
      Pending p = pending.remove(id.asLong());
      if (p == null) {
        return;
      }
      JsonNode error = message.get("error");
      switch (p.kind()) {
        case AUTHENTICATE -> {
          if (error != null) {
            authenticated.completeExceptionally(new IOException("authentication: " + error));
          } else {
            authenticated.complete(null);
          }
        }
        case INVITE -> {
          if (error != null) {
            load.failed(p.call(), "call.invite error " + error.path("code").asText());
          } else {
            p.call().callId = message.path("result").path("callId").asText();
            calls.put(p.call().callId, p.call());
          }
        }
        case HANGUP -> {
          calls.remove(p.call().callId);
          if (error != null) {
            load.failed(p.call(), "call.hangup error " + error.path("code").asText());
          } else {
            load.succeeded(p.call());
          }
        }
      }
      return;
    }
    String method = message.path("method").asText();
    JsonNode params = message.path("params");
    BrowserCall call = calls.get(params.path("callId").asText());
    if (call == null) {
      return;
    }
    switch (method) {
      case "call.answered" -> load.answered(call, now);
      case "call.ended" -> {
        calls.remove(call.callId);
        if (!call.hungUp) {
          String code = params.has("sipCode") ? " " + params.get("sipCode").asText() : "";
          load.failed(
              call,
              "call.ended "
                  + params.path("reason").asText()
                  + code
                  + (call.answeredNanos == 0 ? " before answer" : " before hangup"));
        }
      }
      default -> {
        // call.ringing, call.progress, call.candidate: nothing to measure
      }
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed = "closed by the bridge: " + statusCode + " " + reason;
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed = "WebSocket error: " + error;
    authenticated.completeExceptionally(error);
  }
}

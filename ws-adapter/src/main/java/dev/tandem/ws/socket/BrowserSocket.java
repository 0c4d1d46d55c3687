package dev.tandem.ws.socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SdpType;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.call.Outcome;
import dev.tandem.core.call.SessionOutcome;
import dev.tandem.core.time.Scheduler.Cancellable;
import dev.tandem.ws.auth.AuthResult;
import dev.tandem.ws.auth.Credentials;
import dev.tandem.ws.protocol.ErrorCode;
import dev.tandem.ws.protocol.EventEncoder;
import dev.tandem.ws.protocol.IceServersJson;
import dev.tandem.ws.protocol.InvalidParamsException;
import dev.tandem.ws.protocol.Params;
import dev.tandem.ws.protocol.ProtocolError;
import dev.tandem.ws.protocol.RpcCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser WebSocket connection: enforces the per-connection limits, authenticates, decodes each
 * frame into a core request and answers it, and delivers core events as notifications.
 *
 * <p>Threading: Jetty calls the {@code onWebSocket*} methods one at a time for a connection;
 * replies and events are sent from the signaling loop. Jetty queues outgoing frames in call order,
 * so a reply sent before an event arrives before it.
 */
public final class BrowserSocket implements Session.Listener.AutoDemanding, BrowserConnection {
  private static final Logger log = LoggerFactory.getLogger(BrowserSocket.class);
  private static final Pattern DTMF = Pattern.compile("[0-9A-Da-d*#,]{1,64}");

  /** WebSocket close codes the bridge uses (docs/protocol.md). */
  static final int CLOSE_POLICY_VIOLATION = 1008;

  static final int CLOSE_AUTH_TIMEOUT = 4401;

  private final BrowserEndpoint endpoint;
  private final RateLimiter rateLimiter;
  private Session socket;
  private Cancellable authTimer = Cancellable.NONE;
  private volatile SessionId sessionId;
  private volatile String user;
  private volatile boolean authenticating;
  private int violations;
  private volatile boolean closing;

  BrowserSocket(BrowserEndpoint endpoint) {
    this.endpoint = endpoint;
    this.rateLimiter =
        new RateLimiter(
            endpoint.settings().messagesPerSecond(),
            endpoint.settings().burst(),
            endpoint.nanoTime().getAsLong());
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.socket = session;
    authTimer =
        endpoint
            .scheduler()
            .schedule(
                endpoint.settings().authTimeout(),
                () -> {
                  if (sessionId == null) {
                    close(
                        CLOSE_AUTH_TIMEOUT,
                        "no authentication within "
                            + endpoint.settings().authTimeout().toSeconds()
                            + " s");
                  }
                });
  }

  @Override
  public void onWebSocketText(String text) {
    if (closing) {
      return; // frames already in flight when we closed: RFC 6455 5.5.1 lets us drop them
    }
    if (!rateLimiter.tryAcquire(endpoint.nanoTime().getAsLong())) {
      endpoint.counters().rateLimited();
      violation(
          RpcCodec.decode(text),
          ProtocolError.of(
              ErrorCode.RATE_LIMITED,
              "more than " + endpoint.settings().messagesPerSecond() + " messages per second"));
      return;
    }
    int max = endpoint.settings().maxMessageSize();
    if (text.length() > max
        || (text.length() * 3L > max && text.getBytes(StandardCharsets.UTF_8).length > max)) {
      endpoint.counters().tooLarge();
      violation(
          null,
          ProtocolError.of(ErrorCode.MESSAGE_TOO_LARGE, "message larger than " + max + " bytes"));
      return;
    }
    RpcCodec.Frame frame = RpcCodec.decode(text);
    if (frame instanceof RpcCodec.Invalid invalid) {
      send(RpcCodec.error(invalid.id(), invalid.error()));
      return;
    }
    RpcCodec.Request request = (RpcCodec.Request) frame;
    try {
      dispatch(request);
    } catch (InvalidParamsException e) {
      reply(request, e.error());
    } catch (RuntimeException e) {
      log.error("request {} failed", request.method(), e);
      reply(request, ProtocolError.of(ErrorCode.INTERNAL_ERROR, "internal error"));
    }
  }

  private void dispatch(RpcCodec.Request request) throws InvalidParamsException {
    Params params = request.params();
    String method = request.method();
    switch (method) {
      case "ping" -> {
        ObjectNode result = RpcCodec.object();
        result.put("time", endpoint.scheduler().now().toEpochMilli());
        reply(request, result);
        return;
      }
      case "session.authenticate" -> {
        authenticate(request, params);
        return;
      }
      case "session.resume" -> {
        resume(request, params.string("resumeToken"));
        return;
      }
      default -> {}
    }
    if (sessionId == null) {
      reply(
          request,
          ProtocolError.of(
              ErrorCode.NOT_AUTHENTICATED, "authenticate first (session.authenticate)"));
      return;
    }
    switch (method) {
      case "iceServers.get" -> {
        ObjectNode result = RpcCodec.object();
        IceServersJson.put(result, endpoint.iceServers().forUser(user));
        reply(request, result);
      }
      case "call.invite" ->
          core(
              request,
              new BrowserRequest.Invite(
                  params.string("to"),
                  params.string("sdp"),
                  params.optionalString("referId"),
                  params.flag("anonymous")));
      case "call.transfer" -> core(request, transfer(params));
      case "call.candidate" ->
          core(request, new BrowserRequest.AddCandidate(params.callId(), params.candidate()));
      case "call.answer" ->
          core(request, new BrowserRequest.Answer(params.callId(), params.string("sdp")));
      case "call.reject" ->
          core(request, new BrowserRequest.Reject(params.callId(), rejectReason(params)));
      case "call.hangup" -> core(request, new BrowserRequest.Hangup(params.callId()));
      case "call.update" ->
          core(
              request,
              new BrowserRequest.Update(params.callId(), sdpType(params), params.string("sdp")));
      case "call.dtmf" -> core(request, dtmf(params));
      default ->
          reply(request, ProtocolError.of(ErrorCode.METHOD_NOT_FOUND, "unknown method " + method));
    }
  }

  private void authenticate(RpcCodec.Request request, Params params) throws InvalidParamsException {
    if (sessionId != null || authenticating) {
      reply(request, ProtocolError.of(ErrorCode.INVALID_STATE, "already authenticated"));
      return;
    }
    Optional<String> token = params.optionalString("token");
    Credentials credentials =
        token.isPresent()
            ? new Credentials.Token(token.get())
            : new Credentials.Password(params.string("user"), params.string("password"));
    AuthResult result = endpoint.authenticator().authenticate(credentials, remoteAddress());
    if (result instanceof AuthResult.Throttled throttled) {
      violation(
          request,
          new ProtocolError(
              ErrorCode.RATE_LIMITED,
              throttled.reason(),
              Map.of("retryAfter", throttled.seconds())));
      return;
    }
    if (result instanceof AuthResult.Refused refused) {
      violation(request, ProtocolError.of(ErrorCode.AUTHENTICATION_FAILED, refused.reason()));
      return;
    }
    AuthResult.Authenticated authenticated = (AuthResult.Authenticated) result;
    authenticating = true;
    endpoint.switchboard().open(authenticated.profile(), this, outcome -> opened(request, outcome));
  }

  /** The client's IP address (a proxy's, behind one), for throttling wrong passwords. */
  private String remoteAddress() {
    return socket != null && socket.getRemoteSocketAddress() instanceof InetSocketAddress address
        ? address.getAddress() == null
            ? address.getHostString()
            : address.getAddress().getHostAddress()
        : "";
  }

  private void resume(RpcCodec.Request request, String resumeToken) {
    if (sessionId != null || authenticating) {
      reply(request, ProtocolError.of(ErrorCode.INVALID_STATE, "already authenticated"));
      return;
    }
    authenticating = true;
    endpoint.switchboard().resume(resumeToken, this, outcome -> opened(request, outcome));
  }

  /** Runs on the signaling loop, before any event of the session. */
  private void opened(RpcCodec.Request request, SessionOutcome outcome) {
    authenticating = false;
    if (outcome instanceof SessionOutcome.Refused refused) {
      reply(request, ProtocolError.of(ErrorCode.of(refused.refusal()), refused.message()));
      if (refused.refusal() == dev.tandem.core.vocabulary.Refusal.TOO_MANY_SESSIONS) {
        close(CLOSE_POLICY_VIOLATION, refused.message());
      }
      return;
    }
    SessionOutcome.Opened opened = (SessionOutcome.Opened) outcome;
    sessionId = opened.sessionId();
    user = opened.user();
    authTimer.cancel();
    ObjectNode result = RpcCodec.object();
    result.put("user", opened.user());
    result.put("sessionId", opened.sessionId().value());
    result.put("resumeToken", opened.resumeToken());
    result.put("node", opened.node().value());
    result.put("resumeGraceSeconds", endpoint.resumeGrace().toSeconds());
    IceServersJson.put(result, endpoint.iceServers().forUser(opened.user()));
    ArrayNode calls = result.putArray("calls");
    for (SessionOutcome.CallSummary call : opened.calls()) {
      ObjectNode c = calls.addObject();
      c.put("callId", call.callId().value());
      c.put("state", call.state());
      c.put("direction", call.outgoing() ? "outgoing" : "incoming");
      c.put("peer", call.peer());
    }
    reply(request, result);
  }

  private void core(RpcCodec.Request request, BrowserRequest coreRequest) {
    endpoint.switchboard().request(sessionId, coreRequest, outcome -> answered(request, outcome));
  }

  /** Runs on the signaling loop, before any event the request caused for this session. */
  private void answered(RpcCodec.Request request, Outcome outcome) {
    if (outcome instanceof Outcome.Refused refused) {
      ProtocolError error =
          refused.line().isPresent()
              ? new ProtocolError(
                  ErrorCode.of(refused.refusal()),
                  refused.message(),
                  Map.of("line", refused.line().getAsInt(), "reason", refused.message()))
              : ProtocolError.of(ErrorCode.of(refused.refusal()), refused.message());
      reply(request, error);
    } else if (outcome instanceof Outcome.CallPlaced placed) {
      ObjectNode result = RpcCodec.object();
      result.put("callId", placed.callId().value());
      reply(request, result);
    } else {
      reply(request, RpcCodec.object());
    }
  }

  private static BrowserRequest.RejectReason rejectReason(Params params)
      throws InvalidParamsException {
    Optional<String> reason = params.optionalString("reason");
    if (reason.isEmpty() || reason.get().equals("declined")) {
      return BrowserRequest.RejectReason.DECLINED;
    }
    if (reason.get().equals("busy")) {
      return BrowserRequest.RejectReason.BUSY;
    }
    throw new InvalidParamsException("reason", "must be busy or declined");
  }

  private static SdpType sdpType(Params params) throws InvalidParamsException {
    String type = params.string("type");
    return switch (type) {
      case "offer" -> SdpType.OFFER;
      case "answer" -> SdpType.ANSWER;
      default -> throw new InvalidParamsException("type", "must be offer or answer");
    };
  }

  private static BrowserRequest transfer(Params params) throws InvalidParamsException {
    Optional<String> to = params.optionalString("to");
    Optional<String> replaces = params.optionalString("replaces");
    if (to.isPresent() == replaces.isPresent()) {
      throw new InvalidParamsException("to", "give either to (blind) or replaces (attended)");
    }
    return new BrowserRequest.Transfer(
        params.callId(), to, replaces.map(dev.tandem.core.vocabulary.CallId::new));
  }

  private static BrowserRequest dtmf(Params params) throws InvalidParamsException {
    String digits = params.string("digits");
    if (!DTMF.matcher(digits).matches()) {
      throw new InvalidParamsException("digits", "must be 1..64 of 0-9 A-D * # ,");
    }
    OptionalInt duration = params.optionalInt("durationMs", 40, 2000);
    return new BrowserRequest.SendDtmf(
        params.callId(), digits.toUpperCase(Locale.ROOT), Duration.ofMillis(duration.orElse(100)));
  }

  /** A limit was broken: answer with {@code error}, and close the connection after too many. */
  private void violation(Object frame, ProtocolError error) {
    violations++;
    JsonNode id =
        frame instanceof RpcCodec.Request r
            ? r.id()
            : frame instanceof RpcCodec.Invalid i ? i.id() : null;
    if (!(frame instanceof RpcCodec.Request r) || r.expectsResponse()) {
      send(RpcCodec.error(id, error));
    }
    if (violations > endpoint.settings().maxViolations()) {
      endpoint.counters().closedForViolations();
      log.info(
          "closing connection of {}: {} violations, last: {}",
          user == null ? "unauthenticated client" : user,
          violations,
          error.message());
      close(
          CLOSE_POLICY_VIOLATION,
          "too many violations: " + error.code().name().toLowerCase(Locale.ROOT));
    }
  }

  private void reply(RpcCodec.Request request, JsonNode result) {
    if (request.expectsResponse()) {
      send(RpcCodec.result(request.id(), result));
    }
  }

  private void reply(RpcCodec.Request request, ProtocolError error) {
    if (request.expectsResponse()) {
      send(RpcCodec.error(request.id(), error));
    }
  }

  private void send(String text) {
    Session s = socket;
    if (s != null && s.isOpen()) {
      s.sendText(text, Callback.NOOP);
    }
  }

  @Override
  public void deliver(BrowserEvent event) {
    send(EventEncoder.encode(event));
  }

  @Override
  public void close(int code, String reason) {
    closing = true;
    Session s = socket;
    if (s != null && s.isOpen()) {
      s.close(code, reason, Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    authTimer.cancel();
    SessionId id = sessionId;
    if (id != null && statusCode == StatusCode.NORMAL) {
      // a clean close (logout, page closed) is for good: no resume will come, free the slot now
      endpoint.switchboard().closed(id, this);
    } else if (id != null) {
      endpoint.switchboard().disconnected(id, this);
    }
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    log.debug("WebSocket error: {}", cause.toString());
  }
}

package dev.tandem.app.admin;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.call.CallSettings;
import dev.tandem.core.call.Outcome;
import dev.tandem.core.call.SessionOutcome;
import dev.tandem.core.call.SessionSettings;
import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.registrar.Binding;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.ws.auth.ThrottleSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real switchboard on its own signaling loop, browser connections that record what they get, and
 * the admin server on a free port in front of it; the registrar and upstream registrations are
 * fixed lists.
 */
final class AdminFixture implements AutoCloseable {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  final SignalingLoop loop = new SignalingLoop();
  final Switchboard switchboard =
      new Switchboard(
          loop, loop, SessionSettings.defaults(), CallSettings.defaults(), sdp -> Optional.empty());
  final Readiness readiness = new Readiness();
  final AtomicInteger exits = new AtomicInteger();
  final AtomicReference<AdminViews.ReloadView> nextReload =
      new AtomicReference<>(
          new AdminViews.ReloadView("unchanged", List.of(), List.of(), List.of()));
  final Drain drain;
  final AdminServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  AdminFixture() throws Exception {
    this(AdminSettings.defaults());
  }

  AdminFixture(AdminSettings base) throws Exception {
    AdminSettings settings =
        new AdminSettings(
            true, "127.0.0.1", 0, TOKEN, base.drainDeadline(), base.drainRetryAfter());
    readiness.set("http", Readiness.State.UP);
    drain = new Drain(switchboard, readiness, settings, Clock.systemUTC(), exits::incrementAndGet);
    Binding binding =
        new Binding(
            "desk",
            "sip:desk@127.0.0.1:5099",
            Destination.Transport.UDP,
            "127.0.0.1",
            5099,
            Instant.parse("2026-12-01T10:00:00Z"),
            "call-1",
            1);
    server =
        new AdminServer(
            settings,
            new ThrottleSettings(
                3, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15), 1000),
            new AdminService(
                switchboard,
                Optional.empty(),
                () -> List.of(binding),
                () ->
                    CompletableFuture.completedFuture(
                        List.of(
                            new UpstreamRegistrations.Status(
                                "alice", "pbx", "sip:1001@pbx.example", "registered"))),
                drain,
                nextReload::get,
                "test",
                Instant.parse("2026-12-01T00:00:00Z")),
            Clock.systemUTC());
    server.start();
  }

  /** A browser connection that records its events and its close. */
  static final class Connection implements BrowserConnection {
    final List<BrowserEvent> events = new CopyOnWriteArrayList<>();
    volatile int closeCode;

    @Override
    public void deliver(BrowserEvent event) {
      events.add(event);
    }

    @Override
    public void close(int code, String reason) {
      closeCode = code;
    }
  }

  SessionId open(String user, Connection connection) {
    SessionOutcome outcome = switchboard.open(user, connection).join();
    return ((SessionOutcome.Opened) outcome).sessionId();
  }

  /** A browser-to-browser call from {@code from}'s session to {@code to}, ringing. */
  CallId call(SessionId from, String to) {
    Outcome outcome = switchboard.request(from, new BrowserRequest.Invite(to, "v=0 offer")).join();
    return ((Outcome.CallPlaced) outcome).callId();
  }

  HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path) throws Exception {
    return send(method, path, TOKEN, null);
  }

  @Override
  public void close() {
    server.stop();
    switchboard.shutdown().join();
    loop.close();
  }
}

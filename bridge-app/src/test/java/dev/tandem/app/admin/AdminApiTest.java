package dev.tandem.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.call.Outcome;
import dev.tandem.core.call.SessionOutcome;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private AdminFixture admin;

  @BeforeEach
  void start() throws Exception {
    admin = new AdminFixture();
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  @Test
  void refusesARequestWithoutTheTokenWithABearerChallenge() throws Exception {
    HttpResponse<String> response = admin.send("GET", "/admin/v1/sessions", null, null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
    assertThat(response.headers().firstValue("Server")).isEmpty();
  }

  @Test
  void refusesAWrongTokenAndAPrefixOfTheRightOne() throws Exception {
    assertThat(admin.send("GET", "/admin/v1/status", "wrong", null).statusCode()).isEqualTo(401);
    assertThat(
            admin
                .send("GET", "/admin/v1/status", AdminFixture.TOKEN.substring(0, 31), null)
                .statusCode())
        .isEqualTo(401);
    assertThat(admin.send("GET", "/admin/v1/status").statusCode()).isEqualTo(200);
  }

  @Test
  void throttlesWrongTokensFromAnAddressEvenWhenTheNextOneIsRight() throws Exception {
    for (int i = 0; i < 4; i++) {
      admin.send("GET", "/admin/v1/status", "guess" + i, null);
    }
    HttpResponse<String> blocked = admin.send("GET", "/admin/v1/status");
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(blocked).get("error").asText()).isEqualTo("throttled");
  }

  @Test
  void listsSessionsAndCallsFromTheSwitchboard() throws Exception {
    SessionId alice = admin.open("alice", new AdminFixture.Connection());
    admin.open("bob", new AdminFixture.Connection());
    CallId call = admin.call(alice, "bob");

    JsonNode sessions = json(admin.send("GET", "/admin/v1/sessions"));
    assertThat(sessions).hasSize(2);
    assertThat(sessions.get(0).get("user").asText()).isEqualTo("alice");
    assertThat(sessions.get(0).get("id").asText()).isEqualTo(alice.value());
    assertThat(sessions.get(0).get("connected").asBoolean()).isTrue();
    assertThat(sessions.get(0).get("calls").get(0).asText()).isEqualTo(call.value());

    JsonNode calls = json(admin.send("GET", "/admin/v1/calls"));
    assertThat(calls).hasSize(1);
    JsonNode c = calls.get(0);
    assertThat(c.get("id").asText()).isEqualTo(call.value());
    assertThat(c.get("direction").asText()).isEqualTo("browser-to-browser");
    assertThat(c.get("state").asText()).isEqualTo("ringing");
    assertThat(c.get("from").asText()).isEqualTo("alice");
    assertThat(c.get("to").asText()).isEqualTo("bob");
    assertThat(c.has("media")).isFalse();

    JsonNode status = json(admin.send("GET", "/admin/v1/status"));
    assertThat(status.get("state").asText()).isEqualTo("running");
    assertThat(status.get("sessions").asInt()).isEqualTo(2);
    assertThat(status.get("calls").asInt()).isEqualTo(1);
  }

  @Test
  void listsRegistrarBindingsAndUpstreamRegistrations() throws Exception {
    JsonNode registrations = json(admin.send("GET", "/admin/v1/registrations"));
    assertThat(registrations.get("registrar").get(0).get("account").asText()).isEqualTo("desk");
    assertThat(registrations.get("registrar").get(0).get("transport").asText()).isEqualTo("udp");
    assertThat(registrations.get("upstream").get(0).get("state").asText()).isEqualTo("registered");
  }

  @Test
  void endsACallAndTellsBothBrowsersWhy() throws Exception {
    AdminFixture.Connection aliceSocket = new AdminFixture.Connection();
    AdminFixture.Connection bobSocket = new AdminFixture.Connection();
    SessionId alice = admin.open("alice", aliceSocket);
    admin.open("bob", bobSocket);
    CallId call = admin.call(alice, "bob");

    HttpResponse<String> ended = admin.send("DELETE", "/admin/v1/calls/" + call.value());

    assertThat(ended.statusCode()).isEqualTo(200);
    assertThat(json(ended).get("reason").asText()).isEqualTo("ended-by-admin");
    for (AdminFixture.Connection socket : List.of(aliceSocket, bobSocket)) {
      await()
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  socket.events.stream()
                      .anyMatch(
                          e ->
                              e instanceof BrowserEvent.Ended end
                                  && end.reason() == EndReason.ENDED_BY_ADMIN));
    }
    assertThat(admin.switchboard.counts().join().calls()).isZero();
    assertThat(admin.send("DELETE", "/admin/v1/calls/" + call.value()).statusCode()).isEqualTo(404);
  }

  @Test
  void disconnectsEverySessionOfAUserWith4410() throws Exception {
    AdminFixture.Connection tab1 = new AdminFixture.Connection();
    AdminFixture.Connection tab2 = new AdminFixture.Connection();
    admin.open("alice", tab1);
    admin.open("alice", tab2);
    admin.open("bob", new AdminFixture.Connection());

    HttpResponse<String> done = admin.send("DELETE", "/admin/v1/users/alice/sessions");

    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(json(done).get("sessions").asInt()).isEqualTo(2);
    assertThat(tab1.closeCode).isEqualTo(4410);
    assertThat(tab2.closeCode).isEqualTo(4410);
    assertThat(admin.switchboard.counts().join().sessions()).isEqualTo(1);
    assertThat(admin.send("DELETE", "/admin/v1/users/alice/sessions").statusCode()).isEqualTo(404);
  }

  @Test
  void drainTurnsReadinessOffRefusesNewWorkAndExitsWhenTheLastCallEnds() throws Exception {
    SessionId alice = admin.open("alice", new AdminFixture.Connection());
    admin.open("bob", new AdminFixture.Connection());
    CallId call = admin.call(alice, "bob");

    HttpResponse<String> drain =
        admin.send("POST", "/admin/v1/drain", AdminFixture.TOKEN, "{\"deadlineSeconds\": 60}");

    assertThat(drain.statusCode()).isEqualTo(202);
    assertThat(json(drain).get("callsLeft").asInt()).isEqualTo(1);
    assertThat(admin.readiness.isReady()).isFalse();
    SessionOutcome refused = admin.switchboard.open("carol", new AdminFixture.Connection()).join();
    assertThat(refused).isInstanceOf(SessionOutcome.Refused.class);
    assertThat(((SessionOutcome.Refused) refused).refusal()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(((SessionOutcome.Refused) refused).message()).contains("draining");
    Outcome newCall =
        admin.switchboard.request(alice, new BrowserRequest.Invite("bob", "v=0 offer")).join();
    assertThat(newCall).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) newCall).refusal()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(json(admin.send("GET", "/admin/v1/status")).get("state").asText())
        .isEqualTo("draining");
    assertThat(admin.exits.get()).isZero();

    admin.send("DELETE", "/admin/v1/calls/" + call.value());

    await().atMost(Duration.ofSeconds(2)).until(() -> admin.exits.get() == 1);
  }

  @Test
  void drainExitsAtTheDeadlineWhenCallsAreStillUpAndASecondDrainKeepsTheFirstDeadline()
      throws Exception {
    SessionId alice = admin.open("alice", new AdminFixture.Connection());
    admin.open("bob", new AdminFixture.Connection());
    admin.call(alice, "bob");

    JsonNode first =
        json(admin.send("POST", "/admin/v1/drain", AdminFixture.TOKEN, "{\"deadlineSeconds\": 1}"));
    JsonNode second =
        json(
            admin.send(
                "POST", "/admin/v1/drain", AdminFixture.TOKEN, "{\"deadlineSeconds\": 600}"));

    assertThat(second.get("deadline")).isEqualTo(first.get("deadline"));
    await().atMost(Duration.ofSeconds(3)).until(() -> admin.exits.get() == 1);
    assertThat(admin.switchboard.counts().join().calls())
        .as("the bridge's stop ends what is left")
        .isEqualTo(1);
  }

  @Test
  void drainRefusesABadDeadline() throws Exception {
    HttpResponse<String> bad =
        admin.send("POST", "/admin/v1/drain", AdminFixture.TOKEN, "{\"deadlineSeconds\": -1}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("message").asText()).contains("deadlineSeconds");
    assertThat(admin.readiness.isReady()).isTrue();
  }

  @Test
  void reloadAnswers422WithTheErrorsWhenRefused() throws Exception {
    admin.nextReload.set(
        new AdminViews.ReloadView(
            "refused",
            List.of(),
            List.of(),
            List.of(new AdminViews.Problem("routing.dial-plan[0].pattern", "not a regex"))));
    HttpResponse<String> reload = admin.send("POST", "/admin/v1/reload");
    assertThat(reload.statusCode()).isEqualTo(422);
    assertThat(json(reload).get("errors").get(0).get("path").asText())
        .isEqualTo("routing.dial-plan[0].pattern");
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    assertThat(admin.send("GET", "/admin/v1/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> wrong = admin.send("GET", "/admin/v1/drain");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
  }
}

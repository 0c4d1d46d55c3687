package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API (docs/admin.md) on the real bridge with real peers: a Chromium (the demo page)
 * calls SIPp (which echoes the audio) through the embedded relay while an operator drains the
 * bridge, or reloads its configuration, with curl.
 */
@RealPeers({"chromium", "sipp", "curl"})
class AdminE2E {
  private static final String TOKEN = "e2e-admin-token-0123456789abcdef0123";

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private AdminClient admin;
  private Path config;
  private final List<Process> sipps = new ArrayList<>();
  private int pbxPort;
  private int trunkPort;
  private int adminPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    pbxPort = FreePorts.next();
    trunkPort = FreePorts.next();
    adminPort = FreePorts.next();
    config = dir.resolve("tandem.yaml");
    Files.writeString(config, config(""));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
    admin = new AdminClient(ns, adminPort, TOKEN);
  }

  /** The bridge's file: extensions go to the PBX; {@code more} adds dial-plan rules. */
  private String config(String more) {
    return config(more, "");
  }

  /** As {@link #config(String)}, with {@code tail} (more sections) at the end. */
  private String config(String more, String tail) {
    return """
        admin:
          enabled: true
          port: %d
          token: %s
          drain-retry-after: 20s
        routing:
          destinations:
            pbx: {host: 127.0.0.1, port: %d}
            trunk: {host: 127.0.0.1, port: %d}
          dial-plan:
            - {name: extensions, pattern: "[0-9]{3,4}", destination: pbx}
        %s
          permissions:
            everyone: [extensions%s]
        media:
          embedded: {port-min: 44000, port-max: 44099}
        calls:
          media-timeout: 4s
        %s
        """
        .formatted(
            adminPort,
            TOKEN,
            pbxPort,
            trunkPort,
            more,
            more.isEmpty() ? "" : ", outside",
            tail);
  }

  /** The rule the reload adds: 9 and a number go to the trunk. */
  private static final String OUTSIDE =
      "    - {name: outside, pattern: \"9[0-9]{4,15}\", destination: trunk}";

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process sipp : sipps) {
        sipp.destroy();
        if (!sipp.waitFor(5, TimeUnit.SECONDS)) {
          sipp.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void drainDuringALiveCallRefusesNewCallsKeepsTheAudioAndExitsZeroAfterTheHangup()
      throws Exception {
    Process pbx = sippUas("pbx", pbxPort);
    try (Browser browser = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(browser, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("In call");
      Softphone.Media before = alice.awaitAudioBothWays(null, 50);

      JsonNode calls = admin.get("/admin/v1/calls").body();
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).get("direction").asText()).isEqualTo("browser-to-sip");
      assertThat(calls.get(0).get("state").asText()).isEqualTo("active");
      assertThat(calls.get(0).get("destination").asText()).isEqualTo("pbx");
      assertThat(calls.get(0).get("sipCallId").asText()).isNotBlank();
      assertThat(calls.get(0).get("media").get("packetsFromSip").asLong()).isPositive();
      assertThat(admin.get("/admin/v1/sessions").body().get(0).get("user").asText())
          .isEqualTo("alice");

      long asked = System.nanoTime();
      AdminClient.Reply drain = admin.post("/admin/v1/drain", "{\"deadlineSeconds\": 60}");
      assertThat(drain.status()).as(String.valueOf(drain.body())).isEqualTo(202);
      assertThat(drain.body().get("callsLeft").asInt()).isEqualTo(1);
      assertThat(AdminClient.status(ns, "http://127.0.0.1:" + tandem.httpPort + "/readyz"))
          .as("readiness off at once")
          .isEqualTo(503);
      long readyOffMillis = (System.nanoTime() - asked) / 1_000_000;

      // a new call from the browser: the documented refusal (4503, "draining")
      JsonNode refused =
          browser.eval(
              "window.tandemDemo.client.request('call.invite', {to: '1001', sdp: 'v=0\\r\\n'})"
                  + ".then(() => 'placed', (e) => e.code + ' ' + e.message)");
      assertThat(refused.asText()).startsWith("4503 the bridge is draining");
      // a new call from SIP: 503 with Retry-After
      Sipp.Result invite =
          Sipp.uac(dir, ns, "uac-expect-503-retry-after.xml", tandem.sipPort, "u1", 1, "-s", "alice");
      assertThat(invite.exitCode()).as(invite.output()).isZero();
      assertThat(admin.get("/admin/v1/status").body().get("state").asText())
          .isEqualTo("draining");

      Softphone.Media after = alice.awaitAudioBothWays(before, 50);
      assertThat(after.audioEnergy()).as("the live call keeps its audio").isGreaterThan(0);
      assertThat(tandem.pid()).as("still running while the call is up").isPositive();

      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      int exit = tandem.awaitExit(Duration.ofSeconds(20));
      assertThat(exit).as(tandem.output()).isZero();
      assertThat(tandem.output()).contains("drained: the last call ended");
      assertThat(pbx.waitFor(10, TimeUnit.SECONDS)).isTrue();
      System.out.printf(
          "drain: /readyz 503 %d ms after the request; exit 0 after the hangup%n", readyOffMillis);
    }
  }

  @Test
  void reloadAddsADialPlanRuleDuringALiveCallAndRefusesAnInvalidFile() throws Exception {
    sippUas("pbx", pbxPort);
    Process trunk = sippUas("trunk", trunkPort);
    try (Browser browser = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(browser, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("In call");
      Softphone.Media before = alice.awaitAudioBothWays(null, 50);

      Files.writeString(config, config(OUTSIDE));
      AdminClient.Reply reload = admin.post("/admin/v1/reload", null);

      assertThat(reload.status()).as(String.valueOf(reload.body())).isEqualTo(200);
      assertThat(reload.body().get("outcome").asText()).isEqualTo("applied");
      assertThat(texts(reload.body().get("changed")))
          .contains("routing.dial-plan", "routing.permissions.everyone");
      assertThat(texts(reload.body().get("needsRestart"))).isEmpty();
      alice.awaitAudioBothWays(before, 50);
      assertThat(admin.get("/admin/v1/calls").body().get(0).get("state").asText())
          .isEqualTo("active");
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");

      alice.dial("95551234");
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 20);
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(trunk.waitFor(10, TimeUnit.SECONDS)).as("the new rule routed to the trunk").isTrue();
      assertThat(trunk.exitValue()).isZero();

      Files.writeString(
          config, config(OUTSIDE.replace("9[0-9]{4,15}", "9[0-9")).replace("port-min: 44000", "port-min: 0"));
      AdminClient.Reply invalid = admin.post("/admin/v1/reload", null);
      assertThat(invalid.status()).isEqualTo(422);
      assertThat(invalid.body().get("outcome").asText()).isEqualTo("refused");
      assertThat(paths(invalid.body().get("errors")))
          .contains("routing.dial-plan[1].pattern", "media.embedded.port-min");

      // the same over SIGHUP: refused and logged; then the good file again: nothing to change,
      // so the refused ones changed nothing
      new ProcessBuilder("kill", "-HUP", Long.toString(tandem.pid())).start().waitFor();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> tandem.output().contains("routing.dial-plan[1].pattern"));
      Files.writeString(config, config(OUTSIDE));
      new ProcessBuilder("kill", "-HUP", Long.toString(tandem.pid())).start().waitFor();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> tandem.output().contains("configuration reload: nothing to change live"));
      assertThat(admin.get("/admin/v1/status").body().get("state").asText())
          .isEqualTo("running");
    }
  }

  @Test
  void anOperatorEndsALiveCallWithByeAndThenDisconnectsTheUser() throws Exception {
    Process pbx = sippUas("pbx", pbxPort);
    try (Browser browser = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(browser, tandem, "alice");
      alice.dial("1000");
      alice.awaitCallState("In call");
      alice.awaitAudioBothWays(null, 20);
      String callId = admin.get("/admin/v1/calls").body().get(0).get("id").asText();

      AdminClient.Reply ended = admin.send("DELETE", "/admin/v1/calls/" + callId, null);

      assertThat(ended.status()).isEqualTo(200);
      assertThat(ended.body().get("reason").asText()).isEqualTo("ended-by-admin");
      alice.awaitCallState("Ended: ended-by-admin");
      assertThat(pbx.waitFor(10, TimeUnit.SECONDS)).as("SIPp got its BYE").isTrue();
      assertThat(pbx.exitValue()).as(Sipp.traces(dir)).isZero();

      AdminClient.Reply gone = admin.send("DELETE", "/admin/v1/users/alice/sessions", null);
      assertThat(gone.status()).isEqualTo(200);
      assertThat(gone.body().get("closeCode").asInt()).isEqualTo(4410);
      assertThat(admin.get("/admin/v1/sessions").body()).isEmpty();
      assertThat(tandem.output()).contains("disconnected by an administrator");
    }
  }

  @Test
  void reloadAddsAnUpstreamAccountThatRegistersAndRemovesItAgainWithAnUnregister()
      throws Exception {
    Process pbx = Sipp.uas(dir, ns, pbxPort, "pbx-registrar-plain.xml");
    sipps.add(pbx);
    try (Browser browser = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone.signIn(browser, tandem, "bob");

      Files.writeString(
          config,
          config(
              "",
              "upstream:\n  accounts:\n    bob: {destination: pbx, username: \"1002\","
                  + " password: unused, domain: pbx.test}"));
      AdminClient.Reply added = admin.post("/admin/v1/reload", null);

      assertThat(added.status()).as(String.valueOf(added.body())).isEqualTo(200);
      assertThat(texts(added.body().get("changed"))).containsExactly("upstream.accounts");
      await("bob registered")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  tandem
                      .output()
                      .contains("bob registered upstream as sip:1002@pbx.test at pbx for 300 s"));
      JsonNode upstream = admin.get("/admin/v1/registrations").body().get("upstream");
      assertThat(upstream.get(0).get("user").asText()).isEqualTo("bob");
      assertThat(upstream.get(0).get("state").asText()).isEqualTo("registered");

      Files.writeString(config, config(""));
      assertThat(admin.post("/admin/v1/reload", null).status()).isEqualTo(200);

      assertThat(pbx.waitFor(15, TimeUnit.SECONDS))
          .as("the PBX got the un-REGISTER while bob is still online")
          .isTrue();
      assertThat(pbx.exitValue()).as(Sipp.traces(dir) + tandem.output()).isZero();
      assertThat(admin.get("/admin/v1/registrations").body().get("upstream")).isEmpty();
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static List<String> paths(JsonNode problems) {
    List<String> paths = new ArrayList<>();
    problems.forEach(n -> paths.add(n.get("path").asText()));
    return paths;
  }

  /** SIPp answering one call and echoing its audio, in the namespace. */
  private Process sippUas(String label, int port) throws IOException {
    List<String> command = new ArrayList<>(List.of(Peers.require("sipp", "sip-tester").toString()));
    command.addAll(List.of("-sn", "uas", "-p", Integer.toString(port), "-rtp_echo", "-m", "1"));
    command.addAll(
        List.of(
            "-i", "127.0.0.1", "-mi", "127.0.0.1",
            "-mp", Integer.toString(FreePorts.next()),
            "-cp", Integer.toString(FreePorts.next()),
            "-nostdin", "-trace_err"));
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(label + ".out").toFile())
            .start();
    sipps.add(process);
    return process;
  }
}

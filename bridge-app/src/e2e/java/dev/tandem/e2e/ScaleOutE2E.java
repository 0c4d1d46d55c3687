package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference deployment of deploy/ on one machine: Kamailio (deploy/kamailio/kamailio.cfg)
 * serving example.com, two Tandem nodes (deploy/nodes/node-a.yaml, node-b.yaml) and HAProxy
 * (deploy/haproxy/haproxy.cfg) in front of them, each on its own loopback address (the nodes in
 * Kamailio's NODE_NET 127.0.0.0/30). Only addresses, ports and the development users differ from
 * the files.
 *
 * <ul>
 *   <li>Chromium signed in on node A calls dave, signed in with Firefox on node B by a JWT (no
 *       account of his own anywhere): the call goes A → Kamailio (lookup: dave's binding from node
 *       B's template registration) → B, and the browsers talk over DTLS end to end.
 *   <li>HAProxy sends a WebSocket with {@code ?node=node-b} to node B and one with {@code
 *       ?node=node-a} to node A.
 *   <li>Node B killed (SIGKILL): within Kamailio's keepalive timeout its bindings are gone, a call
 *       to dave is answered 404 at once instead of timing out toward the dead node, and once dave
 *       signs in on node A the call reaches him there.
 *   <li>Chromium on node A dials the extension of a plain-RTP desk phone (SIPp, digest at
 *       Kamailio): through the nodes' `phones` destination, node A's media goes through the pool
 *       of two rtpengines (deploy/nodes' media section), audio both ways.
 *   <li>A SIPp phone (digest at Kamailio) calls carol on node B; node B is drained during the
 *       call: HAProxy sends new sessions to A at once (a reconnect naming B still goes to B), the
 *       call keeps its audio until the phone hangs up, then B exits 0.
 * </ul>
 */
@RealPeers({"kamailio", "haproxy", "rtpengine", "sipp", "chromium", "firefox"})
class ScaleOutE2E {
  private static final Path DEPLOY = Path.of("../deploy");
  private static final String NODE_A = "127.0.0.2";
  private static final String NODE_B = "127.0.0.3";
  private static final String KAMAILIO = "127.0.0.5";
  private static final int KA_TIMEOUT_SECONDS = 4;
  private static final String ADMIN_TOKEN = "scale-out-admin-token-0123456789abcdef";

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Kamailio kamailio;
  private TandemProcess nodeA;
  private TandemProcess nodeB;
  private Process haproxy;
  private int haproxyPort;
  private int kamailioPort;
  private int adminPortB;
  private final List<Rtpengine> rtpengines = new java.util.ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    Path kamailioDir = Files.createDirectories(dir.resolve("deploy-kamailio"));
    Files.copy(DEPLOY.resolve("kamailio/kamailio.cfg"), kamailioDir.resolve("kamailio.cfg"));
    Files.writeString(
        kamailioDir.resolve("phones.cfg"),
        "$sht(phones=>desk) = \"desk-secret\";\n$sht(phones=>2001) = \"secret-2001\";\n");
    for (String name : List.of("rtpengine-1", "rtpengine-2")) {
      rtpengines.add(Rtpengine.start(Files.createDirectories(dir.resolve(name)), ns));
    }
    String pool =
        rtpengines.stream()
            .map(r -> "{host: 127.0.0.1, port: " + r.ngPort + "}")
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    int sipPort = FreePorts.next();
    kamailioPort = sipPort;
    kamailio =
        Kamailio.run(
            dir,
            ns,
            kamailioDir.resolve("kamailio.cfg"),
            sipPort,
            "example.com",
            List.of(
                "LISTEN=udp:" + KAMAILIO + ":" + sipPort,
                "NODE_NET=\"127.0.0.2/31\"",
                "RTPENGINE=\"udp:127.0.0.1:"
                    + rtpengines.get(0).ngPort
                    + "=1 udp:127.0.0.1:"
                    + rtpengines.get(1).ngPort
                    + "=1\"",
                "KA_INTERVAL=1",
                "CTL=\"unix:" + dir.resolve("kamailio-ctl") + "\"",
                "KA_TIMEOUT=" + KA_TIMEOUT_SECONDS));
    nodeA = node("node-a", NODE_A, sipPort, "--set", "media.rtpengine.instances=" + pool);
    adminPortB = FreePorts.next();
    nodeB =
        node(
            "node-b",
            NODE_B,
            sipPort,
            "--set", "media.rtpengine.instances=" + pool,
            "--set", "admin.enabled=true",
            "--set", "admin.port=" + adminPortB,
            "--set", "admin.token=" + ADMIN_TOKEN);
    haproxyPort = FreePorts.next();
    Path haproxyLog = dir.resolve("haproxy.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        Peers.require("haproxy", "haproxy").toString(),
                        "-db",
                        "-f",
                        DEPLOY.resolve("haproxy/haproxy.cfg").toAbsolutePath().toString())))
            .redirectErrorStream(true)
            .redirectOutput(haproxyLog.toFile());
    builder.environment().put("TANDEM_BIND", "127.0.0.1:" + haproxyPort);
    builder.environment().put("NODE_A", NODE_A + ":" + nodeA.httpPort);
    builder.environment().put("NODE_B", NODE_B + ":" + nodeB.httpPort);
    haproxy = builder.start();
  }

  /** A node from deploy/nodes/<id>.yaml on {@code address}, Kamailio at its test address. */
  private TandemProcess node(String id, String address, int kamailioPort, String... more)
      throws Exception {
    Path work = Files.createDirectories(dir.resolve(id));
    Path config = work.resolve(id + ".yaml");
    Files.copy(DEPLOY.resolve("nodes/" + id + ".yaml"), config, StandardCopyOption.REPLACE_EXISTING);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--config", config.toString(),
                "--set", "routing.destinations.kamailio.host=" + KAMAILIO,
                "--set", "routing.destinations.kamailio.port=" + kamailioPort,
                "--set", "routing.destinations.phones.host=" + KAMAILIO,
                "--set", "routing.destinations.phones.port=" + kamailioPort,
                "--set", "sessions.resume-grace=1s"));
    args.addAll(List.of(more));
    TandemProcess node = TandemProcess.startOn(address, work, ns, args.toArray(String[]::new));
    node.awaitReady();
    return node;
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (haproxy != null) {
        Peers.stop(haproxy, 1, Duration.ofSeconds(3));
      }
      for (TandemProcess node : new TandemProcess[] {nodeA, nodeB}) {
        if (node != null) {
          node.close();
        }
      }
      if (kamailio != null) {
        kamailio.close();
      }
      for (Rtpengine rtpengine : rtpengines) {
        rtpengine.close();
      }
    } finally {
      ns.close();
    }
  }

  private String traces() {
    StringBuilder text = new StringBuilder("\n== kamailio\n").append(kamailio.log());
    text.append("\n== node A\n").append(nodeA.output()).append("\n== node B\n").append(nodeB.output());
    for (Rtpengine rtpengine : rtpengines) {
      text.append("\n== rtpengine\n").append(rtpengine.log());
    }
    return text.append("\n== sipp\n").append(Sipp.traces(dir)).toString();
  }

  private void awaitRegistered(String user, String node) {
    await(user + " registered at Kamailio from " + node)
        .atMost(Duration.ofSeconds(10))
        .until(() -> kamailio.log().matches("(?s).*registered sip:" + user + "@example\\.com contact <sip:" + user + "@" + node + ":.*"));
  }

  @Test
  void browsersOnTwoNodesCallThroughKamailioAndADeadNodeStopsBeingUsed() throws Exception {
    try (Browser chromium = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser firefox = Browser.launch(Kind.FIREFOX, "dave", ns, dir)) {
      Softphone alice = Softphone.signIn(chromium, nodeA, "alice");
      // dave has no account anywhere: a JWT signed with the nodes' shared key, and the template
      Softphone dave = Softphone.signInWithToken(firefox, nodeB, "dave", jwt("dave"));
      try {
        awaitRegistered("dave", NODE_B);
        alice.dial("dave");
        assertThat(dave.awaitIncoming()).startsWith("sip:alice@");
        dave.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        dave.awaitAudioBothWays(null, 50);
        alice.hangUp();
        dave.awaitCallState("Ended: remote-hangup");
        assertThat(kamailio.log()).contains("lookup INVITE for sip:dave@example.com: found sip:dave@" + NODE_B);
        assertThat(nodeA.output()).contains("(WebRTC end to end)");

        nodeB.close(); // SIGKILL: no un-REGISTER
        await("Kamailio drops the dead node's bindings (keepalive)")
            .atMost(Duration.ofSeconds(3 * KA_TIMEOUT_SECONDS + 5))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> !bindings("dave").contains(NODE_B));
        alice.dial("dave");
        alice.awaitCallState("Ended: not-found (404)");

        Softphone daveOnA = Softphone.signInWithToken(firefox, nodeA, "dave", jwt("dave"));
        awaitRegistered("dave", NODE_A);
        alice.dial("dave");
        assertThat(daveOnA.awaitIncoming()).startsWith("sip:alice@");
        daveOnA.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        alice.hangUp();
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + traces(), e);
      }
    }
  }

  /** An HS256 JWT for {@code user}, signed with the key deploy/nodes/*.yaml share. */
  private static String jwt(String user) throws Exception {
    String secret =
        Files.readString(DEPLOY.resolve("nodes/node-a.yaml"))
            .lines()
            .filter(l -> l.strip().startsWith("hs256-secret:"))
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .findFirst()
            .orElseThrow();
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String input =
        b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(
                "{\"sub\":\"%s\",\"iat\":%d,\"exp\":%d}"
                    .formatted(user, now, now + 600)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(
            secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void phonesAndNodesCallEachOtherAndADrainingNodeKeepsItsCall() throws Exception {
    int deskPort = FreePorts.next();
    Process desk = Sipp.uas(dir, ns, deskPort, "uas-phone-plain.xml", "-s", "2001", "-rtp_echo");
    Sipp.Result registered =
        Sipp.uacOn(
            dir, ns, "127.0.0.1", "phone-register-digest.xml", kamailioPort, "u1", 1,
            "-rsa", KAMAILIO + ":" + kamailioPort,
            "-s", "2001", "-key", "domain", "example.com", "-key", "uas_port", Integer.toString(deskPort),
            "-au", "2001", "-ap", "secret-2001");
    assertThat(registered.exitCode()).as("2001 registers with digest:\n" + registered.output() + traces()).isZero();
    try (Browser chromium = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser firefox = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone alice = Softphone.signIn(chromium, nodeA, "alice");
      Softphone carol = Softphone.signIn(firefox, nodeB, "carol");
      try {
        // an extension: through the `phones` destination, node A's rtpengine pool makes plain RTP
        alice.dial("2001");
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        alice.hangUp();
        assertThat(desk.waitFor(10, TimeUnit.SECONDS)).as("the desk phone's scenario ends" + traces()).isTrue();
        assertThat(desk.exitValue()).as("the desk phone got a plain RTP/AVP offer" + traces()).isZero();

        awaitRegistered("carol", NODE_B);
        CompletableFuture<Sipp.Result> phone =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Sipp.uacOn(
                        dir, ns, "127.0.0.10", "uac-via-proxy-digest.xml", kamailioPort, "u1", 1,
                        "-rsa", KAMAILIO + ":" + kamailioPort,
                        "-s", "carol", "-key", "domain", "example.com", "-key", "caller", "desk",
                        "-au", "desk", "-ap", "desk-secret", "-rtp_echo", "-d", "8000");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        assertThat(carol.awaitIncoming()).isEqualTo("sipp");
        carol.answer();
        carol.awaitCallState("In call");
        Softphone.Media before = carol.awaitAudioBothWays(null, 50);
        assertThat(kamailio.log()).contains("lookup INVITE for sip:carol@example.com: found sip:carol@" + NODE_B);

        AdminClient admin = new AdminClient(ns, adminPortB, ADMIN_TOKEN);
        assertThat(admin.post("/admin/v1/drain", "{\"deadlineSeconds\": 60}").status()).isEqualTo(202);
        await("HAProxy sends new sessions to node A while B drains")
            .atMost(Duration.ofSeconds(5))
            .until(() -> servedBy("/ws").equals("node-a") && servedBy("/ws").equals("node-a"));
        assertThat(servedBy("/ws?node=node-b"))
            .as("a reconnect of a session on B still goes to B")
            .isEqualTo("node-b");
        carol.awaitAudioBothWays(before, 50);

        carol.awaitCallState("Ended: remote-hangup");
        Sipp.Result call = phone.get(30, TimeUnit.SECONDS);
        assertThat(call.exitCode()).as(call.output()).isZero();
        assertThat(nodeB.awaitExit(Duration.ofSeconds(20))).as("drained: B exits 0").isZero();
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n" + chromium.console() + firefox.console() + traces(), e);
      }
    }
  }

  /** Kamailio's bindings of {@code user}@example.com, as kamcmd ul.lookup shows them. */
  private String bindings(String user) throws Exception {
    Process kamcmd =
        new ProcessBuilder(
                Peers.require("kamcmd", "kamailio").toString(),
                "-s", "unix:" + dir.resolve("kamailio-ctl"),
                "ul.lookup", "location", user + "@example.com")
            .redirectErrorStream(true)
            .start();
    String out = new String(kamcmd.getInputStream().readAllBytes());
    kamcmd.waitFor(5, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void haproxySendsARequestNamingANodeToThatNode() throws Exception {
    await("haproxy sees both nodes ready")
        .atMost(Duration.ofSeconds(10))
        .until(() -> servedBy("/readyz?node=node-b").equals("node-b"));
    assertThat(servedBy("/ws?node=node-a")).isEqualTo("node-a");
    assertThat(servedBy("/ws?node=node-b")).isEqualTo("node-b");
    assertThat(servedBy("/readyz?node=node-a")).isEqualTo("node-a");
  }

  /**
   * The node HAProxy sent a request for {@code path} to (its X-Tandem-Node header), asked with curl
   * inside the namespace; a WebSocket's upgrade request is routed by the same rules.
   */
  private String servedBy(String path) throws Exception {
    Process curl =
        new ProcessBuilder(
                ns.wrap(
                    List.of(
                        "curl", "-s", "-o", "/dev/null", "-D", "-", "-m", "3",
                        "http://127.0.0.1:" + haproxyPort + path)))
            .redirectErrorStream(true)
            .start();
    String headers = new String(curl.getInputStream().readAllBytes());
    curl.waitFor(5, TimeUnit.SECONDS);
    return headers
        .lines()
        .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-tandem-node:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElse("");
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
 *   <li>Chromium signed in on node A calls carol, signed in with Firefox on node B: the call goes
 *       A → Kamailio (lookup: carol's binding from node B's template registration) → B, and the
 *       browsers talk opus over DTLS end to end.
 *   <li>HAProxy sends a WebSocket with {@code ?node=node-b} to node B and one with {@code
 *       ?node=node-a} to node A.
 *   <li>Node B killed (SIGKILL): within Kamailio's keepalive timeout its bindings are gone, a call
 *       to carol is answered 404 at once instead of timing out toward the dead node, and once
 *       carol signs in on node A the call reaches her there.
 * </ul>
 */
@RealPeers({"kamailio", "haproxy", "chromium", "firefox"})
class ScaleOutE2E {
  private static final Path DEPLOY = Path.of("../deploy");
  private static final String NODE_A = "127.0.0.2";
  private static final String NODE_B = "127.0.0.3";
  private static final String KAMAILIO = "127.0.0.5";
  private static final int KA_TIMEOUT_SECONDS = 4;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private Kamailio kamailio;
  private TandemProcess nodeA;
  private TandemProcess nodeB;
  private Process haproxy;
  private int haproxyPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    Path kamailioDir = Files.createDirectories(dir.resolve("deploy-kamailio"));
    Files.copy(DEPLOY.resolve("kamailio/kamailio.cfg"), kamailioDir.resolve("kamailio.cfg"));
    Files.writeString(kamailioDir.resolve("phones.cfg"), "$sht(phones=>desk) = \"desk-secret\";\n");
    int sipPort = FreePorts.next();
    kamailio =
        Kamailio.run(
            dir,
            ns,
            kamailioDir.resolve("kamailio.cfg"),
            sipPort,
            "example.com",
            List.of(
                "LISTEN=udp:" + KAMAILIO + ":" + sipPort,
                "NODE_NET=\"127.0.0.0/30\"",
                "RTPENGINE=\"udp:127.0.0.1:" + FreePorts.next() + "=1\"",
                "KA_INTERVAL=1",
                "CTL=\"unix:" + dir.resolve("kamailio-ctl") + "\"",
                "KA_TIMEOUT=" + KA_TIMEOUT_SECONDS));
    nodeA = node("node-a", NODE_A, sipPort);
    nodeB = node("node-b", NODE_B, sipPort);
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
  private TandemProcess node(String id, String address, int kamailioPort) throws Exception {
    Path work = Files.createDirectories(dir.resolve(id));
    Path config = work.resolve(id + ".yaml");
    Files.copy(DEPLOY.resolve("nodes/" + id + ".yaml"), config, StandardCopyOption.REPLACE_EXISTING);
    TandemProcess node =
        TandemProcess.startOn(
            address,
            work,
            ns,
            "--config", config.toString(),
            "--set", "routing.destinations.kamailio.host=" + KAMAILIO,
            "--set", "routing.destinations.kamailio.port=" + kamailioPort,
            "--set", "sessions.resume-grace=1s");
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
    } finally {
      ns.close();
    }
  }

  private String traces() {
    return "\n== kamailio\n" + kamailio.log() + "\n== node A\n" + nodeA.output() + "\n== node B\n" + nodeB.output();
  }

  private void awaitRegistered(String user, String node) {
    await(user + " registered at Kamailio from " + node)
        .atMost(Duration.ofSeconds(10))
        .until(() -> kamailio.log().matches("(?s).*registered sip:" + user + "@example\\.com contact <sip:" + user + "@" + node + ":.*"));
  }

  @Test
  void browsersOnTwoNodesCallThroughKamailioAndADeadNodeStopsBeingUsed() throws Exception {
    try (Browser chromium = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser firefox = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone alice = Softphone.signIn(chromium, nodeA, "alice");
      Softphone carol = Softphone.signIn(firefox, nodeB, "carol");
      try {
        awaitRegistered("carol", NODE_B);
        alice.dial("carol");
        assertThat(carol.awaitIncoming()).startsWith("sip:alice@");
        carol.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        carol.awaitAudioBothWays(null, 50);
        alice.hangUp();
        carol.awaitCallState("Ended: remote-hangup");
        assertThat(kamailio.log()).contains("lookup INVITE for sip:carol@example.com: found sip:carol@" + NODE_B);
        assertThat(nodeA.output()).contains("(WebRTC end to end)");

        nodeB.close(); // SIGKILL: no un-REGISTER
        await("Kamailio drops the dead node's bindings (keepalive)")
            .atMost(Duration.ofSeconds(3 * KA_TIMEOUT_SECONDS + 5))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> !bindings("carol").contains(NODE_B));
        alice.dial("carol");
        alice.awaitCallState("Ended: not-found (404)");

        Softphone carolOnA = Softphone.signIn(firefox, nodeA, "carol");
        awaitRegistered("carol", NODE_A);
        alice.dial("carol");
        assertThat(carolOnA.awaitIncoming()).startsWith("sip:alice@");
        carolOnA.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 50);
        alice.hangUp();
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + traces(), e);
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

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bridge nodes: Chromium signed in on node A calls carol, whom A's dial plan sends over SIP to
 * node B ({@code webrtc: true}); Firefox signed in on B answers. The browsers' WebRTC SDP crosses
 * both nodes as it is: opus, DTLS between the two browsers, no relay on either node (neither
 * allocates one), audio both ways — instead of browser → relay A → plain RTP → relay B → browser.
 */
@RealPeers({"chromium", "firefox"})
class WebRtcBetweenNodesE2E {
  /** The codec of the call's inbound audio, as the browser's getStats names it. */
  private static final String INBOUND_CODEC =
      """
      (async () => {
        const stats = await window.tandemDemo.call.getStats();
        let codecId = null;
        stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'audio') codecId = s.codecId; });
        return codecId ? stats.get(codecId)?.mimeType ?? null : null;
      })()
      """;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess nodeA;
  private TandemProcess nodeB;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    Path b = Files.createDirectories(dir.resolve("b"));
    Path configB = b.resolve("tandem.yaml");
    Files.writeString(
        configB,
        """
        node: { id: node-b }
        routing:
          inbound: { allow-any-source: true }
        """);
    nodeB = TandemProcess.start(b, ns, "--config", configB.toString());
    nodeB.awaitReady();
    Path a = Files.createDirectories(dir.resolve("a"));
    Path configA = a.resolve("tandem.yaml");
    Files.writeString(
        configA,
        """
        node: { id: node-a }
        routing:
          destinations:
            node-b: { host: 127.0.0.1, port: %d, webrtc: true }
          dial-plan:
            - { name: on-node-b, pattern: "carol", destination: node-b }
          permissions:
            everyone: [on-node-b]
        """
            .formatted(nodeB.sipPort));
    nodeA = TandemProcess.start(a, ns, "--config", configA.toString());
    nodeA.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (nodeA != null) {
        nodeA.close();
      }
      if (nodeB != null) {
        nodeB.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void chromiumOnOneNodeCallsFirefoxOnAnotherWithOpusEndToEnd() throws Exception {
    try (Browser chromium = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser firefox = Browser.launch(Kind.FIREFOX, "carol", ns, dir)) {
      Softphone alice = Softphone.signIn(chromium, nodeA, "alice");
      Softphone carol = Softphone.signIn(firefox, nodeB, "carol");
      try {
        alice.dial("carol");
        assertThat(carol.awaitIncoming()).as("a SIP caller, named by its address").startsWith("sip:alice@");
        carol.answer();
        alice.awaitCallState("In call");
        Softphone.Media atAlice = alice.awaitAudioBothWays(null, 50);
        Softphone.Media atCarol = carol.awaitAudioBothWays(null, 50);
        assertThat(atAlice.dtlsState()).isEqualTo("connected");
        assertThat(atCarol.dtlsState()).isEqualTo("connected");
        assertThat(atAlice.audioEnergy()).as("Chromium hears Firefox's fake microphone").isPositive();
        assertThat(chromium.eval(INBOUND_CODEC).asText()).isEqualToIgnoringCase("audio/opus");
        assertThat(firefox.eval(INBOUND_CODEC).asText()).isEqualToIgnoringCase("audio/opus");
        alice.hangUp();
        carol.awaitCallState("Ended: remote-hangup");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n== node A\n" + nodeA.output() + "\n== node B\n" + nodeB.output(), e);
      }
    }
    assertThat(nodeA.output()).contains("(WebRTC end to end)");
    assertThat(nodeB.output()).contains(", WebRTC end to end)");
    assertThat(nodeA.output() + nodeB.output())
        .as("neither node's relay took part")
        .doesNotContain("DTLS-SRTP established");
  }
}

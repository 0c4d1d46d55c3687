package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The demo softphone page ({@code web/index.html}) in a real browser, driven through its stable
 * element ids like a person would use it; media facts come from the page's RTCPeerConnection.
 */
final class Softphone {
  /** What getStats says about the current call's audio, read in one go. */
  record Media(
      long packetsReceived,
      long packetsSent,
      double audioEnergy,
      String dtlsState,
      String connectionState,
      String localCandidateType) {}

  private static final String MEDIA_JS =
      """
      (async () => {
        const call = window.tandemDemo.call;
        if (!call || !call.pc) return null;
        const stats = await call.getStats();
        const m = { packetsReceived: 0, packetsSent: 0, audioEnergy: 0, localCandidateType: null };
        let pairId = null;
        const pairs = [];
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            m.packetsReceived += s.packetsReceived ?? 0;
            m.audioEnergy += s.totalAudioEnergy ?? 0;
          }
          if (s.type === 'outbound-rtp' && s.kind === 'audio') m.packetsSent += s.packetsSent ?? 0;
          if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
          if (s.type === 'candidate-pair') pairs.push(s);
        });
        const pair = pairs.find((p) => p.id === pairId) ?? pairs.find((p) => p.selected)
            ?? pairs.find((p) => p.nominated && p.state === 'succeeded');
        if (pair) m.localCandidateType = stats.get(pair.localCandidateId)?.candidateType ?? null;
        m.dtlsState = call.pc.getSenders()[0]?.transport?.state ?? null;
        m.connectionState = call.pc.connectionState;
        return m;
      })()
      """;

  private static final Duration WAIT = Duration.ofSeconds(20);

  final Browser browser;
  final String user;

  private Softphone(Browser browser, String user) {
    this.browser = browser;
    this.user = user;
  }

  /** Opens the bridge's page and signs in as a development user (password {@code <user>-dev}). */
  static Softphone signIn(Browser browser, TandemProcess tandem, String user) {
    return signIn(browser, tandem, user, "/");
  }

  /** As {@link #signIn(Browser, TandemProcess, String)}, on the page at {@code path} (e.g. {@code /?ice=relay}). */
  static Softphone signIn(Browser browser, TandemProcess tandem, String user, String path) {
    browser.open("http://" + tandem.host + ":" + tandem.httpPort + path);
    browser.eval(
        "(document.getElementById('user').value = '%s', document.getElementById('password').value = '%s-dev', document.getElementById('login').click(), true)"
            .formatted(user, user));
    browser.waitFor("document.getElementById('status').textContent === 'online as %s'".formatted(user), WAIT);
    return new Softphone(browser, user);
  }

  /** Opens the bridge's page and signs in with a JWT whose {@code sub} is {@code user}. */
  static Softphone signInWithToken(Browser browser, TandemProcess tandem, String user, String jwt) {
    browser.open("http://" + tandem.host + ":" + tandem.httpPort + "/");
    browser.eval(
        "(document.getElementById('token').value = '%s', document.getElementById('login').click(), true)"
            .formatted(jwt));
    browser.waitFor("document.getElementById('status').textContent === 'online as %s'".formatted(user), WAIT);
    return new Softphone(browser, user);
  }

  void dial(String to) {
    browser.eval(
        "(document.getElementById('to').value = '%s', document.getElementById('call').click(), true)".formatted(to));
  }

  /** Waits for the incoming-call banner and returns who is calling. */
  String awaitIncoming() {
    return browser.waitFor(
            "!document.getElementById('incoming').hidden && document.getElementById('incoming-from').textContent",
            WAIT)
        .asText();
  }

  void answer() {
    click("answer");
  }

  void decline() {
    click("decline");
  }

  void hangUp() {
    click("hangup");
  }

  /** Presses keypad keys one after another, each as a separate DTMF request. */
  void pressKeys(String digits) throws InterruptedException {
    for (char digit : digits.toCharArray()) {
      browser.eval(
          "(document.querySelector('.key[data-digit=\"%s\"]').click(), true)".formatted(digit));
      Thread.sleep(400); // a tone lasts 100 ms plus a 70 ms gap: let each one go out
    }
  }

  void click(String id) {
    browser.eval("(document.getElementById('%s').click(), true)".formatted(id));
  }

  /** Waits until the call-state line reads {@code text} (e.g. "In call", "Ended: hangup"). */
  void awaitCallState(String text) {
    browser.waitFor("document.getElementById('call-state').textContent === '%s'".formatted(text), WAIT);
  }

  String callState() {
    return browser.eval("document.getElementById('call-state').textContent").asText();
  }

  String status() {
    return browser.eval("document.getElementById('status').textContent").asText();
  }

  Media media() {
    JsonNode m = browser.eval(MEDIA_JS);
    assertThat(m.isNull()).as("%s has a call with a peer connection", user).isFalse();
    return new Media(
        m.path("packetsReceived").asLong(),
        m.path("packetsSent").asLong(),
        m.path("audioEnergy").asDouble(),
        m.path("dtlsState").asText(null),
        m.path("connectionState").asText(null),
        m.path("localCandidateType").asText(null));
  }

  /**
   * Waits until audio flows both ways: DTLS connected, and at least {@code packets} more packets
   * received and sent than in {@code before} (pass null to count from the start).
   */
  Media awaitAudioBothWays(Media before, int packets) {
    long received = before == null ? 0 : before.packetsReceived();
    long sent = before == null ? 0 : before.packetsSent();
    browser.waitFor(
        "(async () => { const m = await %s; return m && m.dtlsState === 'connected' && m.packetsReceived >= %d && m.packetsSent >= %d; })()"
            .formatted(MEDIA_JS.strip(), received + packets, sent + packets),
        WAIT);
    return media();
  }
}

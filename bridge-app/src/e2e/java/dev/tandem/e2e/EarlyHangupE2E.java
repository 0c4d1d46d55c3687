package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that hangs up while its call.invite is still in flight (issue 16): the SDK must hang
 * the call up at the bridge once the callId arrives, so that the callee stops ringing at once
 * instead of at its ring timeout.
 */
@RealPeers({"chromium"})
class EarlyHangupE2E {
  /**
   * Hangs up every call of the page right after its call.invite went out (a microtask after the
   * 'calling' state, which the SDK enters just before it sends call.invite), before the response.
   */
  private static final String HANG_UP_IN_FLIGHT =
      """
      (async () => {
        const { Call } = await import('/sdk/tandem.js');
        const setState = Call.prototype._setState;
        Call.prototype._setState = function (state) {
          setState.call(this, state);
          if (state === 'calling') queueMicrotask(() => this.hangup());
        };
        return true;
      })()
      """;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;

  @BeforeEach
  void startBridge() throws Exception {
    ns = NetworkNamespace.create();
    tandem = TandemProcess.start(dir, ns);
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void aCallerHangingUpBeforeTheInviteIsAnsweredStopsTheCalleeRinging() throws Exception {
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir);
        Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir)) {
      Softphone.signIn(a, tandem, "alice");
      Softphone.signIn(b, tandem, "bob");
      b.eval(
          "(window.ends = [], window.tandemDemo.client.on('incoming', (c) => c.on('ended', (i) => window.ends.push(i.reason))), true)");
      a.eval(HANG_UP_IN_FLIGHT);
      a.eval("(window.placed = null, window.tandemDemo.client.call('bob').then((c) => (window.placed = c.state)), true)");
      a.waitFor("window.placed === 'ended'", Duration.ofSeconds(10));
      b.waitFor("window.ends.length === 1", Duration.ofSeconds(10));
      assertThat(b.eval("window.ends[0]").asText()).as("bob's call ends as cancelled").isEqualTo("cancelled");
    }
  }
}

package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session timers (RFC 4028) against SIPp: a phone that agreed to refresh and went silent is hung
 * up by the bridge; a phone that made the bridge the refresher gets UPDATEs.
 */
@RealPeers({"sipp", "chromium"})
class SessionTimerE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Process phone;
  private int phonePort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    phonePort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sip:
          min-session-expires: 10s
        routing:
          destinations:
            phone: { host: 127.0.0.1, port: %d }
          dial-plan:
            - { name: phones, pattern: "1[0-9]{3}", destination: phone }
          permissions:
            everyone: [phones]
        media:
          embedded:
            port-min: 42600
            port-max: 42799
        """
            .formatted(phonePort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (phone != null) {
        phone.destroy();
        if (!phone.waitFor(3, TimeUnit.SECONDS)) {
          phone.destroyForcibly();
        }
      }
      tandem.close();
    } finally {
      ns.close();
    }
  }

  @Test
  void aPhoneThatStopsRefreshingIsHungUpAndTheBrowserToldTimeout() throws Exception {
    phone = Sipp.uas(dir, ns, phonePort, "uas-session-timer-dead.xml", "-rtp_echo");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      long answered;
      try {
        carol.awaitCallState("In call");
        answered = System.nanoTime();
        carol.awaitCallState("Ended: timeout");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - answered);
      assertThat(seconds).as("12 s - 12 s / 3, not the media timeout").isBetween(5L, 11L);
    }
    assertThat(phone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(phone.exitValue()).as(Sipp.traces(dir)).isZero();
    assertThat(tandem.output()).contains("session expired: no refresh from the peer");
  }

  @Test
  void aPhoneThatMakesTheBridgeRefresherGetsAnUpdateEveryHalfInterval() throws Exception {
    phone = Sipp.uas(dir, ns, phonePort, "uas-session-timer-refreshed.xml", "-rtp_echo");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      try {
        carol.awaitCallState("In call");
        // two refreshes take about 12 s; the call is still up after them
        Thread.sleep(13_000);
        assertThat(carol.callState()).isEqualTo("In call");
        carol.awaitAudioBothWays(null, 100);
        carol.hangUp();
        carol.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
    assertThat(phone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(phone.exitValue()).as(Sipp.traces(dir)).isZero();
  }
}

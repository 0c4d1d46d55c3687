package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
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
 * Call transfer against SIPp: the browser transfers a SIP call blind (REFER, NOTIFY sipfrag), and
 * a SIP phone transfers the browser (REFER from SIP: the browser calls the new target, the phone
 * hears how it goes, the old call ends).
 */
@RealPeers({"sipp", "chromium"})
class TransferE2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private final List<Process> phones = new ArrayList<>();
  private int phonePort;
  private int otherPort;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    phonePort = FreePorts.next();
    otherPort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            phone: { host: 127.0.0.1, port: %d }
            other: { host: 127.0.0.1, port: %d }
          dial-plan:
            - { name: ones, pattern: "1[0-9]{3}", destination: phone }
            - { name: twos, pattern: "2[0-9]{3}", destination: other }
            - { name: threes, pattern: "3[0-9]{3}", destination: other }
          permissions:
            everyone: [ones, twos]
        media:
          embedded:
            port-min: 42800
            port-max: 42999
        """
            .formatted(phonePort, otherPort));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : phones) {
        p.destroy();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      tandem.close();
    } finally {
      ns.close();
    }
  }

  private Process phone(int port, String scenario) throws Exception {
    Process p = Sipp.uas(dir, ns, port, scenario, "-rtp_echo");
    phones.add(p);
    return p;
  }

  private void awaitDone(Process p) throws Exception {
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("SIPp finished\n" + Sipp.traces(dir)).isTrue();
    assertThat(p.exitValue()).as(Sipp.traces(dir) + "\n" + tandem.output()).isZero();
  }

  @Test
  void theBrowserTransfersASipCallBlindAndTheCallEndsTransferred() throws Exception {
    Process transferee = phone(phonePort, "uas-refer-blind.xml");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      try {
        carol.awaitCallState("In call");
        carol.awaitAudioBothWays(null, 50);
        c.eval("(document.getElementById('transfer-to').value = '1001', true)");
        carol.click("transfer");
        carol.awaitCallState("Ended: transferred");
        assertThat(c.eval("document.getElementById('transfer-state').textContent").asText())
            .isEqualTo("transfer: 200 OK");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
    awaitDone(transferee);
  }

  @Test
  void aSipPhoneTransfersTheBrowserWhichCallsTheNewTarget() throws Exception {
    Process transferor = phone(phonePort, "uas-refer-incoming.xml");
    Process target = phone(otherPort, "uas-answer.xml");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      try {
        carol.awaitCallState("In call");
        // the phone REFERs after 2 s; the SDK calls 2000, and once that is answered hangs up 1000
        awaitDone(transferor);
        c.waitFor("document.getElementById('call-peer').textContent === '2000'", Duration.ofSeconds(10));
        carol.awaitCallState("In call");
        carol.awaitAudioBothWays(null, 50);
        carol.hangUp();
        carol.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
    awaitDone(target);
  }

  @Test
  void theBrowserTransfersOneSipCallToTheOtherWithReplaces() throws Exception {
    Process transferee = phone(phonePort, "uas-refer-attended.xml");
    Process target = phone(otherPort, "uas-answer.xml");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone.signIn(c, tandem, "carol");
      try {
        c.eval(
            "(async () => { const client = window.tandemDemo.client;"
                + " window.first = await client.call('1000');"
                + " window.second = await client.call('2000'); return true; })()");
        c.waitFor(
            "window.first.state === 'active' && window.second.state === 'active'",
            Duration.ofSeconds(15));
        c.eval("window.first.transfer(window.second).then(() => true)");
        c.waitFor(
            "window.first.state === 'ended' && window.first.endReason === 'transferred'",
            Duration.ofSeconds(15));
        awaitDone(transferee);
        // the transferee would now INVITE the target with Replaces, and the target hang up on us
        c.eval("window.second.hangup().then(() => true)");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
    awaitDone(target);
  }

  @Test
  void aReferToADestinationTheUserMayNotDialIsRefused403AndTheCallGoesOn() throws Exception {
    Process transferor = phone(phonePort, "uas-refer-forbidden.xml");
    try (Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      carol.dial("1000");
      try {
        carol.awaitCallState("In call");
        // the phone REFERs to 3000 after 2 s: the browser's call.invite is refused (4003), the
        // phone gets NOTIFY 403, and this call is untouched
        c.waitFor(
            "document.getElementById('transfer-state').textContent === 'moved to 3000'",
            Duration.ofSeconds(10));
        Thread.sleep(1000);
        assertThat(carol.callState()).isEqualTo("In call");
        carol.awaitAudioBothWays(carol.media(), 20);
        carol.hangUp();
        carol.awaitCallState("Ended: hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
    }
    awaitDone(transferor); // it saw NOTIFY 403 and then the browser's BYE
  }
}

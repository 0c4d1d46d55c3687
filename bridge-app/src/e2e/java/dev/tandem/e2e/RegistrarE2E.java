package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone mode: real phones REGISTER to the bridge's registrar (baresip with MD5 digest,
 * linphonec with SHA-256), call each other by extension, ring at every registered contact when a
 * browser calls their account, and call browser users (their INVITEs challenged with 407).
 */
@RealPeers({"chromium", "baresip", "linphonec"})
class RegistrarE2E {
  /** RMS of baresip's recording above which it heard more than silence. */
  private static final double HEARD = 200;

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Baresip baresip;
  private Linphonec linphonec;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        registrar:
          accounts:
            "1001": { password: pw-1001, digest-algorithms: [md5] }
            "1002": { password: pw-1002, extension: "202", digest-algorithms: [sha-256] }
        media:
          embedded:
            port-min: 42200
            port-max: 42399
        """);
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (baresip != null) {
        baresip.close();
      }
      if (linphonec != null) {
        linphonec.close();
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  private void awaitRegistered(String account, int contacts) {
    await(account + " registered at " + contacts + " contact(s)")
        .atMost(Duration.ofSeconds(15))
        .until(() -> tandem.output().contains(account + " registered at " + contacts + " contact"));
  }

  @Test
  void phonesRegisterWithMd5AndSha256DigestAndCallEachOtherByExtension() throws Exception {
    linphonec = Linphonec.registered(dir, ns, "1002", "pw-1002", tandem.sipPort, true);
    baresip = Baresip.registered(dir, ns, "1001", "pw-1001", tandem.sipPort);
    awaitRegistered("1002", 1); // only SHA-256 offered to 1002
    awaitRegistered("1001", 1); // only MD5 offered to 1001
    baresip.command("/dial 202");
    try {
      await("baresip's call to extension 202 is answered by linphonec")
          .atMost(Duration.ofSeconds(15))
          .until(() -> baresip.log().contains("Call established"));
      assertThat(linphonec.log()).contains("connected");
      assertThat(tandem.output()).contains("SIP call sip:1001@127.0.0.1", "-> 202 at 1 contact");
      baresip.command("/hangup");
      await("linphonec sees the BYE through the bridge")
          .atMost(Duration.ofSeconds(10))
          .until(() -> linphonec.log().contains("ended"));
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage() + "\n" + baresip.log() + "\n" + linphonec.log() + "\n" + tandem.output(),
          e);
    }
  }

  @Test
  void aBrowserCallRingsEveryContactOfTheAccountAndThePhoneCallsTheBrowser() throws Exception {
    baresip = Baresip.registered(dir, ns, "1001", "pw-1001", tandem.sipPort);
    awaitRegistered("1001", 1);
    linphonec = Linphonec.registered(dir, ns, "1001", "pw-1001", tandem.sipPort, false);
    awaitRegistered("1001", 2);
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1001");
      try {
        alice.awaitCallState("In call"); // baresip answers at once
        Softphone.Media media = alice.awaitAudioBothWays(null, 100);
        assertThat(media.audioEnergy()).as("alice hears baresip's tone").isPositive();
        awaitHeard();
        await("linphonec rang too, then was cancelled")
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> assertThat(linphonec.log()).contains("Receiving new incoming call", "ended"));
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
        await("baresip sees the BYE")
            .atMost(Duration.ofSeconds(10))
            .until(() -> baresip.log().contains("terminated"));

        baresip.command("/dial alice");
        assertThat(alice.awaitIncoming()).contains("1001");
        alice.answer();
        alice.awaitCallState("In call");
        alice.awaitAudioBothWays(null, 100);
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
      } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            e.getMessage() + "\n" + baresip.log() + "\n" + linphonec.log() + "\n" + tandem.output(),
            e);
      }
    }
  }

  private void awaitHeard() {
    await("baresip hears the browser's fake microphone")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(baresip.heardLevel()).as(baresip.log()).isGreaterThan(HEARD));
  }

  @Test
  void wrongPasswordsAreChallengedAgainUntilTheSourceIsLockedOut() throws Exception {
    Sipp.Result guesser =
        Sipp.uac(
            dir,
            ns,
            "uac-register-wrong-password.xml",
            tandem.sipPort,
            "u1",
            1,
            "-au",
            "1001",
            "-ap",
            "guess");
    assertThat(guesser.exitCode()).as(guesser.output() + "\n" + tandem.output()).isZero();
    assertThat(tandem.output())
        .contains("wrong credentials for '1001', locked out for PT5M")
        .doesNotContain("1001 registered");
  }
}

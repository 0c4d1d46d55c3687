package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge behind NAT ({@link NatTopology}): it listens on 0.0.0.0 in a private network with
 * {@code advertised} set to its NAT's public address, which forwards SIP and the media ports to it.
 * A SIPp carrier on the public side calls a browser and is called by one, and fails the call on
 * any private or wildcard address in what the bridge sends (Via, Contact, Call-ID, SDP); a baresip
 * phone behind its own NAT registers to the bridge and is called by a browser, audio both ways,
 * the ACK and BYE reaching it where it registered from (its Contact is a private address).
 */
@RealPeers({"chromium", "sipp", "baresip", "iptables"})
class NatE2E {
  /** RMS of baresip's recording above which it heard more than silence. */
  private static final double HEARD = 200;

  private static final int CARRIER_SIP = 5060;

  @TempDir Path dir;
  private NatTopology net;
  private TandemProcess tandem;
  private Baresip baresip;
  private final List<Process> sipps = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    net = NatTopology.create();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sip:
          listen:
            - transport: udp
              host: 0.0.0.0
              advertised: %1$s
            - transport: tcp
              host: 0.0.0.0
              advertised: %1$s
        registrar:
          accounts:
            "1001": { password: pw-1001, digest-algorithms: [md5] }
        routing:
          destinations:
            carrier:
              host: %2$s
              port: %3$d
          dial-plan:
            - name: carrier
              pattern: "9[0-9]+"
              destination: carrier
          permissions:
            everyone: [carrier]
        media:
          embedded:
            bind: 0.0.0.0
            advertised: %1$s
            port-min: 42400
            port-max: 42599
        """
            .formatted(NatTopology.PUBLIC, NatTopology.CARRIER, CARRIER_SIP));
    tandem = TandemProcess.start(dir, net.bridge, "--config", config.toString());
    net.forward("udp", Integer.toString(tandem.sipPort));
    net.forward("tcp", Integer.toString(tandem.sipPort));
    net.forward("udp", "42400:42599");
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process sipp : sipps) {
        sipp.destroy();
        if (!sipp.waitFor(5, TimeUnit.SECONDS)) {
          sipp.destroyForcibly();
        }
      }
      if (baresip != null) {
        baresip.close();
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      net.close();
    }
  }

  @Test
  void theBridgeSaysWhichAddressItWritesAndNeverAWildcard() {
    assertThat(tandem.output())
        .contains("SIP udp 0.0.0.0:" + tandem.sipPort + " writes 203.0.113.1:" + tandem.sipPort);
  }

  @Test
  void aCarrierCallsABrowserAndSeesOnlyThePublicAddress() throws Exception {
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", net.bridge, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Process carrier =
          sipp(
              "uac",
              "nat-carrier-uac.xml",
              NatTopology.PUBLIC + ":" + tandem.sipPort,
              "-s",
              "bob",
              "-m",
              "1");
      Softphone.Media media;
      try {
        bob.awaitIncoming();
        bob.answer();
        bob.awaitCallState("In call");
        media = bob.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput() + tandem.output(), e);
      }
      assertThat(media.audioEnergy()).as("bob hears his own voice echoed by the carrier").isPositive();
      bob.awaitCallState("Ended: remote-hangup");
      assertThat(carrier.waitFor(15, TimeUnit.SECONDS)).isTrue();
      assertThat(carrier.exitValue()).as(sippOutput()).isZero();
    }
  }

  @Test
  void aBrowserCallsTheCarrierWhichSeesOnlyThePublicAddress() throws Exception {
    Process carrier = sipp("uas", "nat-carrier-uas.xml", null, "-m", "1");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", net.bridge, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("9123");
      Softphone.Media media;
      try {
        alice.awaitCallState("In call");
        media = alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + sippOutput() + tandem.output(), e);
      }
      assertThat(media.audioEnergy()).as("alice hears her voice echoed by the carrier").isPositive();
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(carrier.waitFor(15, TimeUnit.SECONDS)).as("the carrier got its BYE").isTrue();
      assertThat(carrier.exitValue()).as(sippOutput()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void aPhoneBehindItsOwnNatRegistersAndABrowserCallsItWithAudioBothWays(String transport)
      throws Exception {
    baresip =
        Baresip.registeredFrom(
            dir,
            net.phone,
            NatTopology.PHONE,
            "1001",
            "pw-1001",
            NatTopology.PUBLIC,
            tandem.sipPort,
            transport);
    await("1001 registered")
        .atMost(Duration.ofSeconds(15))
        .until(() -> tandem.output().contains("1001 registered at 1 contact"));
    if (transport.equals("tcp")) {
      // the phone's one connection through its NAT, which the INVITE must come back on
      assertThat(run(net.phone.wrap(List.of("ss", "-tn", "state", "established"))))
          .contains(NatTopology.PUBLIC + ":" + tandem.sipPort);
    }
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", net.bridge, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("1001");
      try {
        alice.awaitCallState("In call"); // baresip answers at once
        Softphone.Media media = alice.awaitAudioBothWays(null, 100);
        assertThat(media.audioEnergy()).as("alice hears baresip's tone").isPositive();
        await("baresip hears the browser's fake microphone")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(baresip.heardLevel()).isGreaterThan(HEARD));
        // the INVITE went to where 1001 registered from (its NAT), not to its private Contact
        assertThat(baresip.log()).contains("Call established");
        alice.hangUp();
        alice.awaitCallState("Ended: hangup");
        await("baresip gets the BYE at its NAT's address")
            .atMost(Duration.ofSeconds(10))
            .until(() -> baresip.log().contains("terminated"));
      } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(e.getMessage() + "\n" + baresip.log() + "\n" + tandem.output(), e);
      }
    }
  }

  /**
   * The control: a second bridge in the same place without {@code advertised} writes its private
   * address (the interface toward the carrier), and the carrier's scenario fails on it.
   */
  @Test
  void withoutAdvertisedTheCarrierSeesThePrivateAddressAndFailsTheCall() throws Exception {
    Path config = dir.resolve("unadvertised.yaml");
    Files.writeString(
        config,
        """
        sip:
          listen:
            - transport: udp
              host: 0.0.0.0
            - transport: tcp
              host: 0.0.0.0
        routing:
          destinations:
            carrier:
              host: %s
              port: %d
          dial-plan:
            - name: carrier
              pattern: "9[0-9]+"
              destination: carrier
          permissions:
            everyone: [carrier]
        media:
          embedded:
            bind: 0.0.0.0
            advertised: %s
            port-min: 42600
            port-max: 42799
        """
            .formatted(NatTopology.CARRIER, CARRIER_SIP, NatTopology.PUBLIC));
    Path second = Files.createDirectories(dir.resolve("unadvertised"));
    try (TandemProcess unadvertised =
        TandemProcess.start(second, net.bridge, "--config", config.toString())) {
      unadvertised.awaitReady();
      assertThat(unadvertised.output())
          .contains("listens on every interface without sip.listen[].advertised");
      Process carrier = sipp("uas", "nat-carrier-uas.xml", null, "-m", "1");
      try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", net.bridge, dir)) {
        Softphone alice = Softphone.signIn(a, unadvertised, "alice");
        alice.dial("9123");
        try {
          await("the carrier's checks fail on the private address")
              .atMost(Duration.ofSeconds(15))
              .until(() -> sippOutput().contains("Regexp matched but should not"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              e.getMessage() + "\n" + sippOutput() + unadvertised.output() + a.console(), e);
        }
        assertThat(sippOutput())
            .contains("Via: SIP/2.0/UDP " + NatTopology.BRIDGE + ":")
            .contains("Contact: <sip:alice@" + NatTopology.BRIDGE + ":");
        assertThat(carrier.isAlive() ? 1 : carrier.exitValue()).isNotZero();
      }
    }
  }

  /**
   * SIPp as the carrier in its namespace on {@code CARRIER_SIP}, echoing RTP; {@code target} is
   * the bridge for a UAC, null for a UAS.
   */
  private Process sipp(String name, String scenario, String target, String... extra)
      throws IOException {
    Path sipp = Peers.require("sipp", "sip-tester");
    Path scenarioFile = dir.resolve(scenario);
    try (InputStream in = NatE2E.class.getResourceAsStream("/sipp/" + scenario)) {
      Files.copy(in, scenarioFile, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(sipp.toString()));
    if (target != null) {
      command.add(target);
    }
    command.addAll(List.of("-sf", scenarioFile.toString(), "-p", Integer.toString(CARRIER_SIP)));
    command.addAll(List.of("-i", NatTopology.CARRIER, "-mi", NatTopology.CARRIER, "-mp", "6000"));
    command.addAll(List.of("-rtp_echo", "-nostdin", "-trace_err", "-trace_msg"));
    command.addAll(List.of("-timeout", "40s", "-timeout_error"));
    command.addAll(List.of(extra));
    Process process =
        new ProcessBuilder(net.carrier.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + "-" + scenario + ".out").toFile())
            .start();
    sipps.add(process);
    return process;
  }

  private static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(10, TimeUnit.SECONDS);
    return output;
  }

  private String sippOutput() {
    return Sipp.traces(dir);
  }
}

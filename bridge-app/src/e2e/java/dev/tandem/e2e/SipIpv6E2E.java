package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over IPv6: the bridge listens on {@code ::1} (UDP and TCP) and calls a SIPp phone on
 * {@code ::1}, which fails the call unless Via, Contact and Call-ID carry {@code [::1]}. Media stays
 * on the IPv4 relay (SDP over IPv6 is the media side's), so the call also proves the audio flows.
 */
@RealPeers({"chromium", "sipp"})
class SipIpv6E2E {
  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private Process phone;

  @BeforeEach
  void start() throws Exception {
    ns = NetworkNamespace.create();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (phone != null) {
        phone.destroy();
        if (!phone.waitFor(5, TimeUnit.SECONDS)) {
          phone.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void aBrowserCallsAPhoneOnIpv6AndTheBridgeWritesBracketedAddresses(String transport)
      throws Exception {
    int phonePort = FreePorts.next();
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        sip:
          listen:
            - transport: udp
              host: "::1"
            - transport: tcp
              host: "::1"
        routing:
          destinations:
            phone:
              host: "::1"
              port: %d
              transport: %s
          dial-plan:
            - name: phones
              pattern: "2[0-9]{3}"
              destination: phone
          permissions:
            everyone: [phones]
        media:
          embedded:
            port-min: 42600
            port-max: 42799
        """
            .formatted(phonePort, transport));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
    phone = sippUas(phonePort, transport.equals("udp") ? "u1" : "t1");
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      alice.dial("2000");
      Softphone.Media media;
      try {
        alice.awaitCallState("In call");
        media = alice.awaitAudioBothWays(null, 50);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + Sipp.traces(dir) + tandem.output(), e);
      }
      assertThat(media.audioEnergy()).as("the phone's echo is audible").isPositive();
      alice.hangUp();
      alice.awaitCallState("Ended: hangup");
      assertThat(phone.waitFor(15, TimeUnit.SECONDS)).as("the phone got its BYE").isTrue();
      assertThat(phone.exitValue()).as(Sipp.traces(dir)).isZero();
    }
  }

  private Process sippUas(int port, String transport) throws Exception {
    Path sipp = Peers.require("sipp", "sip-tester");
    Path scenario = dir.resolve("uas-ipv6-answer.xml");
    try (InputStream in = SipIpv6E2E.class.getResourceAsStream("/sipp/uas-ipv6-answer.xml")) {
      Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(sipp.toString(), "-sf", scenario.toString()));
    command.addAll(List.of("-p", Integer.toString(port), "-t", transport, "-m", "1"));
    command.addAll(List.of("-i", "::1", "-mi", "127.0.0.1"));
    command.addAll(List.of("-mp", Integer.toString(FreePorts.consecutive(4))));
    command.addAll(List.of("-cp", Integer.toString(FreePorts.next())));
    command.addAll(List.of("-rtp_echo", "-nostdin", "-trace_err", "-trace_msg"));
    return new ProcessBuilder(ns.wrap(command))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("uas-ipv6-answer.xml.out").toFile())
        .start();
  }
}

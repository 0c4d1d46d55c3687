package dev.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.e2e.Browser.Kind;
import java.io.IOException;
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
 * Inbound routing and trust against SIPp and Chromium: a DID rings the browser user the table
 * names, a group number rings two users, an INVITE from an address nobody vouches for gets 403, a
 * REFER from an untrusted caller never reaches the trunk, and a CANCEL saying "answered elsewhere"
 * is shown as such. SIPp calls from 127.0.0.1 (the carrier's address: trusted) or 127.0.0.2 (no
 * one's); both are on the namespace's loopback.
 */
@RealPeers({"sipp", "chromium"})
class InboundRoutingE2E {
  private static final String LISTEN_ALICE =
      "(window.callers = [], window.ends = [], window.tandemDemo.client.on('incoming', (c) =>"
          + " { window.callers.push(c.caller); c.on('ended', (i) => window.ends.push(i.reason)); }),"
          + " true)";

  @TempDir Path dir;
  private NetworkNamespace ns;
  private TandemProcess tandem;
  private int carrierPort;
  private final List<Process> sipps = new ArrayList<>();

  @BeforeEach
  void namespace() throws Exception {
    ns = NetworkNamespace.create();
    carrierPort = FreePorts.next();
  }

  /** The bridge: carrier at 127.0.0.1 (its default source), DIDs to alice and the group sales. */
  private void startBridge(boolean allowAnySource) throws Exception {
    Path config = dir.resolve("tandem.yaml");
    Files.writeString(
        config,
        """
        routing:
          destinations:
            carrier: { host: 127.0.0.1, port: %d }
          dial-plan:
            - { name: world, pattern: '\\+[0-9]{6,15}', destination: carrier }
          permissions:
            everyone: [world]
          inbound:
            numbers:
              "+1 555 123 4567": alice
              "+1555000XXXX": sales
            ring-groups:
              sales: [bob, carol]
            allow-any-source: %s
        media:
          embedded:
            port-min: 43000
            port-max: 43199
        """
            .formatted(carrierPort, allowAnySource));
    tandem = TandemProcess.start(dir, ns, "--config", config.toString());
    tandem.awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : sipps) {
        p.destroy();
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (tandem != null) {
        tandem.close();
      }
    } finally {
      ns.close();
    }
  }

  @Test
  void aDidFromTheCarrierRingsTheUserTheTableNamesWithTheCallerInOneShape() throws Exception {
    startBridge(false);
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      a.eval(LISTEN_ALICE);
      Process uac = sipp("did", "127.0.0.1", "-sn", "uac", "-s", "15551234567", "-d", "2000");
      try {
        assertThat(alice.awaitIncoming()).isEqualTo("sipp");
        assertThat(a.eval("window.callers[0].user").asText()).isEqualTo("sipp");
        assertThat(a.eval("window.callers[0].uri").asText()).startsWith("sip:sipp@127.0.0.1");
        alice.answer();
        alice.awaitCallState("In call");
        alice.awaitCallState("Ended: remote-hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + output("did"), e);
      }
      awaitSuccess(uac, "did");
      assertThat(tandem.output()).contains("from destination carrier");

      // the carrier cancels a second call because another of its branches answered
      Process cancel =
          sipp(
              "cancel",
              "127.0.0.1",
              "-sf",
              scenario("uac-cancel-answered-elsewhere.xml"),
              "-s",
              "+15551234567");
      awaitSuccess(cancel, "cancel");
      a.waitFor("window.ends.length === 2", Duration.ofSeconds(10));
      assertThat(a.eval("window.ends[1]").asText()).isEqualTo("answered-elsewhere");
    }
  }

  @Test
  void aGroupNumberRingsTwoUsersAndTheOneNotAnsweringIsToldAnsweredElsewhere() throws Exception {
    startBridge(false);
    try (Browser b = Browser.launch(Kind.CHROMIUM, "bob", ns, dir);
        Browser c = Browser.launch(Kind.CHROMIUM, "carol", ns, dir)) {
      Softphone bob = Softphone.signIn(b, tandem, "bob");
      Softphone carol = Softphone.signIn(c, tandem, "carol");
      b.eval(LISTEN_ALICE);
      Process uac = sipp("group", "127.0.0.1", "-sn", "uac", "-s", "+1-555-000-1234", "-d", "2000");
      try {
        bob.awaitIncoming();
        carol.awaitIncoming();
        carol.answer();
        carol.awaitCallState("In call");
        b.waitFor("window.ends.length === 1", Duration.ofSeconds(10));
        assertThat(b.eval("window.ends[0]").asText()).isEqualTo("answered-elsewhere");
        carol.awaitCallState("Ended: remote-hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + output("group"), e);
      }
      awaitSuccess(uac, "group");
    }
  }

  @Test
  void anInviteFromAnAddressNobodyTrustsGets403AndAnUnknownUser404() throws Exception {
    startBridge(false);
    Process stranger =
        sipp("stranger", "127.0.0.2", "-sf", scenario("uac-expect-403.xml"), "-s", "alice");
    awaitSuccess(stranger, "stranger");
    Path expect404 = dir.resolve("uac-expect-404.xml");
    Files.writeString(
        expect404,
        Files.readString(Path.of(scenario("uac-expect-480.xml")))
            .replace("<recv response=\"480\"/>", "<recv response=\"404\"/>"));
    Process unknown =
        sipp("unknown", "127.0.0.1", "-sf", expect404.toString(), "-s", "+15559999999");
    awaitSuccess(unknown, "unknown");
  }

  @Test
  void aReferFromAnUntrustedCallerNeverReachesTheTrunk() throws Exception {
    startBridge(true);
    Process trunk = Sipp.uas(dir, ns, carrierPort, "uas-answer.xml");
    sipps.add(trunk);
    try (Browser a = Browser.launch(Kind.CHROMIUM, "alice", ns, dir)) {
      Softphone alice = Softphone.signIn(a, tandem, "alice");
      Process uac = sipp("refer", "127.0.0.2", "-sf", scenario("uac-refer-out.xml"), "-s", "alice");
      try {
        alice.awaitIncoming();
        alice.answer();
        alice.awaitCallState("In call");
        // the caller REFERs alice to +442079460000 (which alice herself may dial): refused, NOTIFY
        // 403, and the caller hangs up
        alice.awaitCallState("Ended: remote-hangup");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + output("refer"), e);
      }
      awaitSuccess(uac, "refer");
    }
    assertThat(tandem.output()).contains("untrusted 127.0.0.2");
    assertThat(tandem.output()).doesNotContain("INVITE sip:+442079460000");
    assertThat(trunk.isAlive()).as("the trunk got no call").isTrue();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("uas-answer")).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("INVITE sip:");
      }
    }
  }

  private String scenario(String name) throws IOException {
    Path file = dir.resolve(name);
    try (var in = getClass().getResourceAsStream("/sipp/" + name)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file.toString();
  }

  private void awaitSuccess(Process sipp, String label) throws Exception {
    assertThat(sipp.waitFor(20, TimeUnit.SECONDS)).as("SIPp finished\n" + output(label)).isTrue();
    assertThat(sipp.exitValue()).as(output(label)).isZero();
  }

  /** A SIPp UAC toward the bridge, sending from {@code ip}, its output in {@code <label>.out}. */
  private Process sipp(String label, String ip, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Peers.require("sipp", "sip-tester").toString(), "127.0.0.1:" + tandem.sipPort));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-i", ip, "-mi", ip,
            "-p", Integer.toString(FreePorts.next()),
            "-mp", Integer.toString(FreePorts.consecutive(4)),
            "-cp", Integer.toString(FreePorts.next()),
            "-m", "1", "-timeout", "20s", "-timeout_error",
            "-nostdin", "-trace_err", "-trace_msg"));
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(label + ".out").toFile())
            .start();
    sipps.add(process);
    return process;
  }

  private String output(String label) {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f :
          files
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.endsWith("_messages.log")
                        || name.endsWith("_errors.log")
                        || name.equals(label + ".out");
                  })
              .toList()) {
        text.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text + "\n== tandem\n" + tandem.output();
  }
}

package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real coturn TURN server (shared/PEERS.md) on loopback inside the test's network namespace,
 * with {@code use-auth-secret}: it accepts the TURN REST API credentials the bridge hands out for
 * the same secret. Stopped by {@link #close}.
 */
final class Coturn implements AutoCloseable {
  final int port;
  final String secret;
  private final NetworkNamespace ns;
  private final Process process;
  private final Path log;

  private Coturn(int port, String secret, NetworkNamespace ns, Process process, Path log) {
    this.port = port;
    this.secret = secret;
    this.ns = ns;
    this.process = process;
    this.log = log;
  }

  static Coturn start(Path workDir, NetworkNamespace ns) throws Exception {
    Path binary = Peers.require("turnserver", "coturn");
    Peers.require("turnutils_uclient", "coturn");
    int port = FreePorts.next();
    int min = 49_200 + ThreadLocalRandom.current().nextInt(0, 100) * 100;
    String secret = "tandem-turn-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    Path dir = Files.createDirectories(workDir.resolve("coturn"));
    Path conf = dir.resolve("turnserver.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listening-ip=127.0.0.1",
            "relay-ip=127.0.0.1",
            "external-ip=127.0.0.1",
            "listening-port=" + port,
            "min-port=" + min,
            "max-port=" + (min + 99),
            "use-auth-secret",
            "static-auth-secret=" + secret,
            "realm=tandem.test",
            "no-tls",
            "no-dtls",
            "no-cli",
            "allow-loopback-peers",
            "userdb=" + dir.resolve("turndb"),
            "pidfile=" + dir.resolve("turnserver.pid"),
            "log-file=stdout",
            ""));
    Path log = dir.resolve("turnserver.log");
    Process process =
        new ProcessBuilder(ns.wrap(List.of(binary.toString(), "-c", conf.toString())))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Coturn coturn = new Coturn(port, secret, ns, process, log);
    try {
      await("coturn answers STUN")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError("turnserver exited: " + coturn.log());
                }
                return coturn.run(List.of("turnutils_stunclient", "-p", Integer.toString(port), "127.0.0.1")).exitCode() == 0;
              });
    } catch (RuntimeException | Error e) {
      coturn.close();
      throw e;
    }
    return coturn;
  }

  /** What a coturn client tool printed, and how it exited. */
  record Run(int exitCode, String output) {}

  /**
   * Allocates a relay with {@code turnutils_uclient} and the given long-term credentials, and
   * sends a few packets through it (client-to-client mode, so no separate peer is needed).
   */
  Run allocate(String username, String password) throws IOException, InterruptedException {
    return run(
        List.of(
            "turnutils_uclient", "-p", Integer.toString(port), "-u", username, "-w", password,
            "-y", "-n", "5", "-m", "1", "-l", "170", "127.0.0.1"));
  }

  private Run run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(ns.wrap(command)).redirectErrorStream(true).start();
    String output;
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      return new Run(-1, "timed out");
    }
    output = new String(p.getInputStream().readAllBytes());
    return new Run(p.exitValue(), output);
  }

  String log() {
    return Peers.readLog(log);
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process, 1, Duration.ofSeconds(10));
  }

}

package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import dev.tandem.media.rtpengine.NgClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real rtpengine (userspace, no kernel table; shared/PEERS.md) on loopback, with its NG port and
 * a media port range of its own, stopped by {@link #close}.
 */
final class Rtpengine implements AutoCloseable {
  final int ngPort;
  final int cliPort;
  final int portMin;
  final int portMax;
  private final Process process;
  private final Path log;

  private Rtpengine(int ngPort, int cliPort, int portMin, int portMax, Process process, Path log) {
    this.ngPort = ngPort;
    this.cliPort = cliPort;
    this.portMin = portMin;
    this.portMax = portMax;
    this.process = process;
    this.log = log;
  }

  /** Starts rtpengine, optionally inside {@code ns}, and waits until it answers an NG ping. */
  static Rtpengine start(Path workDir, NetworkNamespace ns) throws Exception {
    return start(workDir, ns, List.of("127.0.0.1"));
  }

  /** The same with media on {@code interfaces} (one of each family: both, e.g. 127.0.0.1 and ::1). */
  static Rtpengine start(Path workDir, NetworkNamespace ns, List<String> interfaces) throws Exception {
    Path binary = Peers.require("rtpengine", "rtpengine-daemon");
    int ng = FreePorts.next();
    int cli = FreePorts.next();
    int min = 30_000 + ThreadLocalRandom.current().nextInt(0, 90) * 100;
    int max = min + 99;
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--config-file=none",
                "--table=-1",
                "--listen-ng=127.0.0.1:" + ng,
                "--listen-cli=127.0.0.1:" + cli,
                "--port-min=" + min,
                "--port-max=" + max,
                "--foreground",
                "--log-stderr",
                "--log-level=6",
                "--pidfile=" + workDir.resolve("rtpengine.pid")));
    for (String address : interfaces) {
      command.add(3, "--interface=" + address);
    }
    if (ns != null) {
      command = ns.wrap(command);
    }
    Path log = workDir.resolve("rtpengine.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Rtpengine rtpengine = new Rtpengine(ng, cli, min, max, process, log);
    if (ns == null) {
      try (NgClient client = rtpengine.client()) {
        await("rtpengine answers ping")
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  if (!process.isAlive()) {
                    throw new AssertionError("rtpengine exited: " + rtpengine.log());
                  }
                  try {
                    return "pong".equals(client.request(Map.of("command", "ping")).get(1, TimeUnit.SECONDS).get("result"));
                  } catch (Exception notYet) {
                    return false;
                  }
                });
      } catch (RuntimeException | Error e) {
        rtpengine.close();
        throw e;
      }
    }
    return rtpengine;
  }

  NgClient client() throws IOException {
    return new NgClient(new InetSocketAddress("127.0.0.1", ngPort), Duration.ofMillis(500), Duration.ofSeconds(3));
  }

  /**
   * The calls rtpengine holds, as {@code rtpengine-ctl list numsessions} reports them ("Current
   * sessions total: N"); outside a namespace only.
   */
  int sessions() throws IOException, InterruptedException {
    Path ctl = Peers.require("rtpengine-ctl", "rtpengine-utils");
    Process p =
        new ProcessBuilder(ctl.toString(), "-ip", "127.0.0.1", "-port", Integer.toString(cliPort), "list", "numsessions")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Current sessions total: (\\d+)").matcher(out);
    if (!m.find()) {
      throw new AssertionError("rtpengine-ctl said: " + out);
    }
    return Integer.parseInt(m.group(1));
  }

  /** SIGKILL: rtpengine stops answering at once, as when its host dies. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  String log() {
    return Peers.readLog(log);
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process, 1, Duration.ofSeconds(10));
  }

}

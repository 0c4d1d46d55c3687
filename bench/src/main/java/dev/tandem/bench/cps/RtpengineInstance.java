package dev.tandem.bench.cps;

import dev.tandem.media.rtpengine.NgClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rtpengine (userspace, {@code --table=-1}) the benchmark starts for {@code --backend
 * rtpengine}, on loopback with its own NG and CLI ports and media port range, stopped with the
 * other children. {@link #sessions} asks {@code rtpengine-ctl} how many calls it still holds.
 */
final class RtpengineInstance {
  final int ngPort;
  final int portMin;
  final int portMax;
  private final int cliPort;
  private final Path log;

  private RtpengineInstance(int ngPort, int cliPort, int portMin, int portMax, Path log) {
    this.ngPort = ngPort;
    this.cliPort = cliPort;
    this.portMin = portMin;
    this.portMax = portMax;
    this.log = log;
  }

  static RtpengineInstance start(Path dir, String name, int portMin, int portMax) throws Exception {
    int ng = freeUdpPort();
    int cli = freeUdpPort();
    Path log = dir.resolve(name + ".log");
    Process process =
        new ProcessBuilder(
                List.of(
                    "rtpengine",
                    "--config-file=none",
                    "--table=-1",
                    "--interface=127.0.0.1",
                    "--listen-ng=127.0.0.1:" + ng,
                    "--listen-cli=127.0.0.1:" + cli,
                    "--port-min=" + portMin,
                    "--port-max=" + portMax,
                    "--foreground",
                    "--log-stderr",
                    "--log-level=5",
                    "--pidfile=" + dir.resolve(name + ".pid")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Children.add(process);
    try (NgClient client =
        new NgClient(
            new InetSocketAddress("127.0.0.1", ng),
            Duration.ofMillis(200),
            Duration.ofSeconds(1))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (true) {
        if (!process.isAlive()) {
          throw new IOException("rtpengine exited: " + Files.readString(log));
        }
        try {
          client.request(Map.of("command", "ping")).get(2, TimeUnit.SECONDS);
          return new RtpengineInstance(ng, cli, portMin, portMax, log);
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IOException("rtpengine does not answer NG ping: " + Files.readString(log));
          }
        }
      }
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return probe.getLocalPort();
    }
  }

  /** {@code rtpengine-ctl list numsessions}: "Current sessions total: N". */
  int sessions() throws IOException, InterruptedException {
    Process ctl =
        new ProcessBuilder(
                "rtpengine-ctl",
                "-ip",
                "127.0.0.1",
                "-port",
                Integer.toString(cliPort),
                "list",
                "numsessions")
            .redirectErrorStream(true)
            .start();
    String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ctl.waitFor(10, TimeUnit.SECONDS);
    Matcher m = Pattern.compile("Current sessions total: (\\d+)").matcher(out);
    if (!m.find()) {
      throw new IOException("rtpengine-ctl answered: " + out);
    }
    return Integer.parseInt(m.group(1));
  }

  /** How many times rtpengine logged that it ran out of ports. */
  long outOfPorts() throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.contains("Ran out of ports")).count();
  }
}

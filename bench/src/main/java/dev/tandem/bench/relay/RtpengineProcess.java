package dev.tandem.bench.relay;

import dev.tandem.media.rtpengine.NgClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** rtpengine in userspace ({@code --table=-1}) on loopback, for the reference column. */
final class RtpengineProcess implements AutoCloseable {
  private final Process process;
  private final int ngPort;
  private final Path log;

  private RtpengineProcess(Process process, int ngPort, Path log) {
    this.process = process;
    this.ngPort = ngPort;
    this.log = log;
  }

  static RtpengineProcess start(int portMin, int portMax) throws Exception {
    int ng;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      ng = probe.getLocalPort();
    }
    Path dir = Files.createTempDirectory("bench-rtpengine");
    Path log = dir.resolve("rtpengine.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    "rtpengine",
                    "--config-file=none",
                    "--table=-1",
                    "--interface=127.0.0.1",
                    "--listen-ng=127.0.0.1:" + ng,
                    "--port-min=" + portMin,
                    "--port-max=" + portMax,
                    "--foreground",
                    "--log-stderr",
                    "--log-level=4",
                    "--pidfile=" + dir.resolve("rtpengine.pid")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    RtpengineProcess rtpengine = new RtpengineProcess(process, ng, log);
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
          if ("pong"
              .equals(
                  client
                      .request(Map.of("command", "ping"))
                      .get(2, TimeUnit.SECONDS)
                      .get("result"))) {
            return rtpengine;
          }
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            rtpengine.close();
            throw new IOException("rtpengine does not answer NG ping: " + Files.readString(log));
          }
        }
      }
    }
  }

  int ngPort() {
    return ngPort;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

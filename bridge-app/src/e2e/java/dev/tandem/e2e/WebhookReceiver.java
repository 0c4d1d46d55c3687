package dev.tandem.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver for {@link WebhookE2E}, run as its own process inside the test's network
 * namespace (where the bridge can reach it; the test JVM cannot): it answers every POST to {@code
 * /hook} with 200 and appends it to a file as one line, {@code <X-Tandem-Timestamp>
 * <X-Tandem-Signature> <base64 body>}, for the test to check. It writes {@code <file>.ready} once it
 * listens.
 */
public final class WebhookReceiver {
  private WebhookReceiver() {}

  /** {@code WebhookReceiver <port> <file>}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[1]);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String line =
              exchange.getRequestHeaders().getFirst("X-Tandem-Timestamp")
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-Tandem-Signature")
                  + " "
                  + Base64.getEncoder().encodeToString(body)
                  + "\n";
          synchronized (WebhookReceiver.class) {
            Files.writeString(out, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    Files.writeString(Path.of(args[1] + ".ready"), "listening\n");
  }

  /** The receiver as a process in {@code ns}, on {@code port}; returns once it listens. */
  static Process start(NetworkNamespace ns, int port, Path file) throws IOException, InterruptedException {
    Path ready = Path.of(file + ".ready");
    Files.deleteIfExists(ready);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WebhookReceiver.class.getName(),
                Integer.toString(port),
                file.toString()));
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .redirectErrorStream(true)
            .redirectOutput(Path.of(file + ".out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!Files.exists(ready)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("the webhook receiver did not start: " + read(Path.of(file + ".out")));
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    return process;
  }

  /** Stops the receiver: nothing listens on its port any more. */
  static void stop(Process receiver) throws InterruptedException {
    receiver.destroy();
    if (!receiver.waitFor(5, TimeUnit.SECONDS)) {
      receiver.destroyForcibly();
      receiver.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.tandem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real headless browser (Debian's Chromium or Firefox ESR) inside the test's network namespace,
 * driven through {@code e2e-browser/driver.mjs}: one JSON command per line, one answer per line.
 * Pages are driven by evaluating JavaScript, the same way in both browsers.
 */
final class Browser implements AutoCloseable {
  enum Kind {
    CHROMIUM("chromium", "chromium"),
    FIREFOX("firefox", "firefox-esr");

    final String driverName;
    final String debianPackage;

    Kind(String driverName, String debianPackage) {
      this.driverName = driverName;
      this.debianPackage = debianPackage;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  final Kind kind;
  private final String label;
  private final Process process;
  private final OutputStream commands;
  private final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
  private final Path log;
  private int nextId = 1;

  private Browser(Kind kind, String label, Process process, Path log) {
    this.kind = kind;
    this.label = label;
    this.process = process;
    this.commands = process.getOutputStream();
    this.log = log;
    Thread reader = new Thread(this::readAnswers, "browser-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  /** Launches {@code kind} in {@code ns}, with its profile and console log under {@code dir}. */
  static Browser launch(Kind kind, String label, NetworkNamespace ns, Path dir) throws IOException {
    return launch(kind, label, ns, dir, null);
  }

  /**
   * As {@link #launch(Kind, String, NetworkNamespace, Path)}; Chromium's fake microphone plays
   * {@code fakeAudio} (a WAV file) when it is not null (Firefox's is always a 1 kHz tone).
   */
  static Browser launch(Kind kind, String label, NetworkNamespace ns, Path dir, Path fakeAudio)
      throws IOException {
    Peers.require(kind == Kind.CHROMIUM ? "chromium" : "firefox-esr", kind.debianPackage);
    Peers.require("node", "nodejs");
    Path root = Path.of(System.getProperty("tandem.root", ".."));
    Path driver = root.resolve("e2e-browser/driver.mjs");
    if (!Files.isDirectory(root.resolve("e2e-browser/node_modules/playwright-core"))) {
      throw new AssertionError(
          "e2e-browser/node_modules is missing: run `npm ci --prefix e2e-browser` (scripts/test does)");
    }
    Path profile = Files.createDirectories(dir.resolve(label + "-profile"));
    Path log = dir.resolve(label + "-console.log");
    List<String> command =
        new ArrayList<>(List.of("node", driver.toAbsolutePath().toString(), kind.driverName, profile.toString()));
    if (fakeAudio != null) {
      command.add(fakeAudio.toAbsolutePath().toString());
    }
    Process process =
        new ProcessBuilder(ns.wrap(command)).redirectError(log.toFile()).start();
    Browser browser = new Browser(kind, label, process, log);
    try {
      browser.await(0, LAUNCH_TIMEOUT);
    } catch (RuntimeException | Error e) {
      browser.close();
      throw e;
    }
    return browser;
  }

  void open(String url) {
    send("goto", "url", url);
  }

  /** Evaluates a JavaScript expression in the page (promises are awaited) and returns its value. */
  JsonNode eval(String expression) {
    return send("eval", "js", expression);
  }

  /** Waits until the expression is truthy in the page and returns its value. */
  JsonNode waitFor(String expression, Duration timeout) {
    ObjectNode command = command("waitFor");
    command.put("js", expression);
    command.put("timeoutMs", timeout.toMillis());
    return send(command, timeout.plus(COMMAND_TIMEOUT));
  }

  void screenshot(Path file) {
    send("screenshot", "path", file.toAbsolutePath().toString());
  }

  /** The page's console output so far, for failure messages. */
  String console() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode send(String op, String key, String value) {
    ObjectNode command = command(op);
    command.put(key, value);
    return send(command, COMMAND_TIMEOUT);
  }

  private ObjectNode command(String op) {
    ObjectNode command = JSON.createObjectNode();
    command.put("id", nextId++);
    command.put("op", op);
    return command;
  }

  private synchronized JsonNode send(ObjectNode command, Duration timeout) {
    try {
      commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
      commands.flush();
    } catch (IOException e) {
      throw new AssertionError(label + " (" + kind + ") is gone: " + e + "\n" + console(), e);
    }
    return await(command.get("id").asInt(), timeout);
  }

  private JsonNode await(int id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        JsonNode answer = answers.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (answer == null) {
          throw new AssertionError(label + " (" + kind + ") did not answer within " + timeout + "\n" + console());
        }
        if (answer.path("id").asInt(-1) != id) {
          continue;
        }
        if (!answer.path("ok").asBoolean()) {
          throw new AssertionError(label + " (" + kind + "): " + answer.path("error").asText() + "\n" + console());
        }
        return answer.get("value");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void readAnswers() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        try {
          answers.add(JSON.readTree(line));
        } catch (IOException notJson) {
          // The driver writes only JSON to stdout; anything else is a library's stray output.
        }
      }
    } catch (IOException e) {
      // The process ended; a pending command times out with the console log.
    }
  }

  /** Closes the browser; kills it and its children if it does not exit within 10 s. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        ObjectNode command = command("close");
        commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // Already exiting.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}

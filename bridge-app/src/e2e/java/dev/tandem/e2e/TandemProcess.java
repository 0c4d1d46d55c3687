package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code tandem} program, started from the built jar as its own process on free ports.
 * Its output goes to files the test can read; {@link #close} kills it if the test did not stop it.
 */
final class TandemProcess implements AutoCloseable {
  /**
   * The development users every browser test signs in with (the built-in defaults have none). Set
   * entry by entry, so a test's file can add users or give one a number and keep these.
   */
  static final List<String> DEVELOPMENT_USERS =
      List.of(
          "--set", "auth.users.alice.password=alice-dev",
          "--set", "auth.users.bob.password=bob-dev",
          "--set", "auth.users.carol.password=carol-dev");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The loopback address HTTP and SIP listen on (127.0.0.1 unless started {@link #startOn}). */
  final String host;
  final int httpPort;
  final int sipPort;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private final NetworkNamespace ns;

  private TandemProcess(
      NetworkNamespace ns, String host, int httpPort, int sipPort, Process process, Path stdout, Path stderr) {
    this.ns = ns;
    this.host = host;
    this.httpPort = httpPort;
    this.sipPort = sipPort;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code tandem run} with HTTP and SIP (UDP and TCP) on fresh ports, the {@link
   * #DEVELOPMENT_USERS}, plus extra args.
   */
  static TandemProcess start(Path workDir, String... extraArgs) throws IOException {
    return start(workDir, null, extraArgs);
  }

  /** As {@link #start(Path, String...)}, inside a network namespace when {@code ns} is not null. */
  static TandemProcess start(Path workDir, NetworkNamespace ns, String... extraArgs) throws IOException {
    return startOn("127.0.0.1", workDir, ns, extraArgs);
  }

  /**
   * As {@link #start(Path, NetworkNamespace, String...)} with HTTP and SIP on {@code host}, another
   * loopback address (127.0.0.2, ...), so that several bridges in one namespace have addresses of
   * their own.
   */
  static TandemProcess startOn(String host, Path workDir, NetworkNamespace ns, String... extraArgs)
      throws IOException {
    int http = FreePorts.next();
    int sip = FreePorts.next();
    List<String> args = new ArrayList<>(List.of("run", "--set", "http.port=" + http));
    args.addAll(List.of("--set", "sip.listen[0].port=" + sip, "--set", "sip.listen[1].port=" + sip));
    if (!host.equals("127.0.0.1")) {
      args.addAll(List.of("--set", "http.host=" + host));
      args.addAll(List.of("--set", "sip.listen[0].host=" + host, "--set", "sip.listen[1].host=" + host));
    }
    args.addAll(DEVELOPMENT_USERS);
    args.addAll(List.of(extraArgs));
    return launch(workDir, ns, host, http, sip, args);
  }

  /** Runs {@code tandem} with exactly these arguments (for failures that happen before ports). */
  static TandemProcess launch(Path workDir, int http, int sip, List<String> args) throws IOException {
    return launch(workDir, null, "127.0.0.1", http, sip, args);
  }

  private static TandemProcess launch(
      Path workDir, NetworkNamespace ns, String host, int http, int sip, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    if (ns != null) {
      command = ns.wrap(command);
    }
    Path out = workDir.resolve("tandem.out");
    Path err = workDir.resolve("tandem.err");
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TANDEM_"));
    return new TandemProcess(ns, host, http, sip, builder.start(), out, err);
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("tandem.jar", "target/tandem.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: run the e2e tests through Maven after package");
    }
    return jar;
  }

  /** Waits until {@code /readyz} answers 200, failing fast if the process exits. */
  void awaitReady() {
    await("tandem /readyz")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(UncheckedIOException.class)
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("tandem exited with " + process.exitValue() + ":\n" + output());
              }
              return ns == null ? get("/readyz").statusCode() == 200 : readyInNamespace();
            });
  }

  /** Inside a namespace the test JVM cannot connect: curl runs in it instead. */
  private boolean readyInNamespace() throws IOException, InterruptedException {
    Peers.require("curl", "curl");
    Process curl =
        new ProcessBuilder(
                ns.wrap(List.of("curl", "-sf", "-o", "/dev/null", "-m", "2", "http://" + host + ":" + httpPort + "/readyz")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return curl.waitFor(5, TimeUnit.SECONDS) && curl.exitValue() == 0;
  }

  HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The process id, for signals ({@code kill -HUP}). */
  long pid() {
    return process.pid();
  }

  /** Sends SIGTERM and waits for the exit status. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("tandem did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  String output() {
    return stdout() + stderr();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}

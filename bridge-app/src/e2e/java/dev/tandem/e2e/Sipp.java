package dev.tandem.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIPp, the real SIP peer, running one of the scenarios in {@code src/e2e/resources/sipp} against
 * the bridge on loopback (see shared/PEERS.md: always {@code -i 127.0.0.1 -mi 127.0.0.1}).
 */
final class Sipp {
  private Sipp() {}

  /** What a SIPp run ended with: exit 0 means every call of the scenario succeeded. */
  record Result(int exitCode, String output) {}

  /**
   * Runs {@code scenario} as a UAC towards 127.0.0.1:{@code port} for {@code calls} calls.
   *
   * @param transport {@code u1} (UDP) or {@code t1} (TCP)
   */
  static Result uac(Path workDir, String scenario, int port, String transport, int calls, String... extra)
      throws IOException, InterruptedException {
    return uac(workDir, null, scenario, port, transport, calls, extra);
  }

  /** The same, inside {@code ns} (null: this machine's loopback). */
  static Result uac(
      Path workDir,
      NetworkNamespace ns,
      String scenario,
      int port,
      String transport,
      int calls,
      String... extra)
      throws IOException, InterruptedException {
    return uacOn(workDir, ns, "127.0.0.1", scenario, port, transport, calls, extra);
  }

  /**
   * The same with SIPp and the bridge both on {@code address} ({@code 127.0.0.1} or {@code ::1}):
   * SIPp's own address, its media address and the bridge's.
   */
  static Result uacOn(
      Path workDir,
      NetworkNamespace ns,
      String address,
      String scenario,
      int port,
      String transport,
      int calls,
      String... extra)
      throws IOException, InterruptedException {
    Path sipp = Peers.require("sipp", "sip-tester");
    Path scenarioFile = workDir.resolve(scenario);
    try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
      if (in == null) {
        throw new AssertionError("no scenario /sipp/" + scenario);
      }
      Files.copy(in, scenarioFile, StandardCopyOption.REPLACE_EXISTING);
    }
    String remote = address.contains(":") ? "[" + address + "]" : address;
    List<String> command = new ArrayList<>(List.of(sipp.toString(), remote + ":" + port));
    command.addAll(List.of("-sf", scenarioFile.toString(), "-i", address, "-mi", address));
    command.addAll(List.of("-p", Integer.toString(FreePorts.next()), "-t", transport));
    command.addAll(List.of("-m", Integer.toString(calls), "-timeout", "20s", "-timeout_error"));
    command.addAll(List.of("-nostdin", "-trace_err", "-recv_timeout", "5000"));
    command.addAll(List.of(extra));
    Path log = workDir.resolve("sipp-" + scenario + "-" + transport + ".log");
    Process process =
        new ProcessBuilder(ns == null ? command : ns.wrap(command)).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("sipp did not finish in 30 s");
      }
      return new Result(process.exitValue(), read(log) + errors(workDir));
    } finally {
      process.destroyForcibly();
    }
  }

  private static String errors(Path workDir) throws IOException {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(workDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).toList()) {
        text.append('\n').append(read(file));
      }
    }
    return text.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts SIPp in {@code ns} as a UAS on 127.0.0.1:{@code port} running {@code scenario} for one
   * call, its output and message trace in {@code workDir}; the caller stops it.
   */
  static Process uas(Path workDir, NetworkNamespace ns, int port, String scenario, String... extra)
      throws IOException {
    Path sipp = Peers.require("sipp", "sip-tester");
    Path scenarioFile = workDir.resolve(scenario);
    try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario)) {
      if (in == null) {
        throw new AssertionError("no scenario /sipp/" + scenario);
      }
      Files.copy(in, scenarioFile, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(sipp.toString(), "-sf", scenarioFile.toString()));
    command.addAll(List.of("-p", Integer.toString(port), "-m", "1", "-i", "127.0.0.1", "-mi", "127.0.0.1"));
    command.addAll(List.of("-mp", Integer.toString(FreePorts.consecutive(4)), "-cp", Integer.toString(FreePorts.next())));
    command.addAll(List.of("-nostdin", "-trace_err", "-trace_msg"));
    command.addAll(List.of(extra));
    return new ProcessBuilder(ns.wrap(command))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(scenario + ".out").toFile())
        .start();
  }

  /** What a UAS run left in {@code workDir}: its output, message trace and errors. */
  static String traces(Path workDir) {
    StringBuilder text = new StringBuilder();
    try (var files = Files.list(workDir)) {
      for (Path f :
          files
              .filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.endsWith("_messages.log")
                        || name.endsWith("_errors.log")
                        || name.endsWith(".xml.out");
                  })
              .toList()) {
        text.append("== ").append(f.getFileName()).append('\n').append(read(f));
      }
    } catch (IOException e) {
      text.append(e);
    }
    return text.toString();
  }
}

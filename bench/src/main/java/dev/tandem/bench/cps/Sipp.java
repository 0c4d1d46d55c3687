package dev.tandem.bench.cps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * SIPp 3.6 on loopback (shared/PEERS.md: always {@code -i 127.0.0.1 -mi 127.0.0.1}; the control and
 * media sockets are given ports of the run's range instead of the shared defaults).
 *
 * <p>A UAC run's figures come from SIPp's own files: {@code -trace_rtt -rtt_freq 1} writes one line
 * per call with response time 1 (the built-in uac scenario's {@code rtd="true"} on the 200: INVITE
 * sent → 200 received, 1 ms resolution, and when it arrived); {@code -trace_stat} writes the
 * cumulative counters (successful, failed by cause).
 */
final class Sipp {
  private Sipp() {}

  private static List<String> common(Ports ports, int n) {
    return List.of(
        "-i",
        "127.0.0.1",
        "-mi",
        "127.0.0.1",
        "-cp",
        Integer.toString(ports.sippControl(n)),
        "-mp",
        Integer.toString(ports.sippMedia(n)),
        "-nostdin");
  }

  /** Registers the account from the UAS's port, so the bridge sends the account's calls there. */
  static void register(Path dir, Ports ports) throws IOException, InterruptedException {
    Path scenario = dir.resolve("register.xml");
    try (InputStream in = Sipp.class.getResourceAsStream("/sipp/register.xml")) {
      Files.copy(in, scenario);
    }
    List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + ports.bridgeSip()));
    command.addAll(List.of("-sf", scenario.toString(), "-s", BridgeProcess.ACCOUNT));
    command.addAll(List.of("-au", BridgeProcess.ACCOUNT, "-ap", BridgeProcess.ACCOUNT_PASSWORD));
    command.addAll(List.of("-p", Integer.toString(ports.uas()), "-m", "1"));
    command.addAll(List.of("-timeout", "10s", "-timeout_error", "-trace_err"));
    command.addAll(common(ports, 0));
    Process p = start(dir, "sipp-register.log", command);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      Children.stop(p, 2);
      throw new IOException(
          "SIPp could not register "
              + BridgeProcess.ACCOUNT
              + " at the bridge: "
              + Files.readString(dir.resolve("sipp-register.log")));
    }
    Children.stop(p, 1);
  }

  /** SIPp's built-in UAS (180, 200 with SDP, waits for BYE) for every call, until stopped. */
  static Process uas(Path dir, Ports ports) throws IOException {
    List<String> command = new ArrayList<>(List.of("sipp", "-sn", "uas"));
    command.addAll(List.of("-p", Integer.toString(ports.uas()), "-trace_err"));
    command.addAll(common(ports, 1));
    return start(dir, "sipp-uas.log", command);
  }

  /**
   * Runs SIPp's built-in UAC: {@code rate} calls a second for {@code seconds}, each held {@code
   * holdMillis} after the answer, then BYE; a call not answered within {@code answerTimeoutMillis}
   * fails. {@code service} is the Request-URI's user part.
   */
  static PathResult uac(
      String path,
      Path dir,
      Ports ports,
      int sippNumber,
      int localPort,
      int targetPort,
      String service,
      int rate,
      int seconds,
      int holdMillis,
      int answerTimeoutMillis,
      long uasPid)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    long calls = (long) rate * seconds;
    List<String> command = new ArrayList<>(List.of("sipp", "127.0.0.1:" + targetPort));
    command.addAll(List.of("-sn", "uac", "-s", service, "-p", Integer.toString(localPort)));
    command.addAll(List.of("-r", Integer.toString(rate), "-m", Long.toString(calls)));
    command.addAll(List.of("-l", Integer.toString(Math.max(1000, rate * 30))));
    command.addAll(List.of("-d", Integer.toString(holdMillis)));
    command.addAll(List.of("-recv_timeout", Integer.toString(answerTimeoutMillis)));
    command.addAll(List.of("-timeout", (seconds + 60) + "s"));
    command.addAll(List.of("-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-fd", "1"));
    command.addAll(List.of("-stf", dir.resolve("stat.csv").toString(), "-trace_err"));
    command.addAll(common(ports, sippNumber));
    long self = ProcessHandle.current().pid();
    long generator0 = Proc.cpuNanosWithExitedChildren(self) + Proc.cpuNanos(uasPid);
    long t0 = System.nanoTime();
    Process p = start(dir, "sipp-uac.log", command);
    if (!p.waitFor(seconds + 90, TimeUnit.SECONDS)) {
      Children.stop(p, 5);
      throw new IOException("SIPp UAC did not finish; see " + dir);
    }
    Children.stop(p, 1); // reaped: its CPU is now in this JVM's cutime
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long generator = Proc.cpuNanosWithExitedChildren(self) + Proc.cpuNanos(uasPid) - generator0;
    return result(path, dir, p.pid(), rate, calls, generator, elapsed);
  }

  private static PathResult result(
      String path, Path dir, long pid, int rate, long calls, long generatorCpu, double seconds)
      throws IOException {
    Setups setups = new Setups();
    Path rtt = dir.resolve("uac_" + pid + "_rtt.csv");
    double first = Double.NaN; // ms since SIPp started, of the first and last answer
    double last = Double.NaN;
    double firstStart = Double.NaN; // and of the first and last answered INVITE
    double lastStart = Double.NaN;
    if (Files.exists(rtt)) {
      for (String line : Files.readAllLines(rtt)) {
        String[] f = line.split(";");
        if (f.length < 3 || !f[2].trim().equals("1")) {
          continue; // the header
        }
        double at = Double.parseDouble(f[0]);
        first = Double.isNaN(first) ? at : Math.min(first, at);
        last = Double.isNaN(last) ? at : Math.max(last, at);
        double setup = Double.parseDouble(f[1]);
        firstStart = Double.isNaN(firstStart) ? at - setup : Math.min(firstStart, at - setup);
        lastStart = Double.isNaN(lastStart) ? at - setup : Math.max(lastStart, at - setup);
        setups.add(Math.round(setup * 1000));
      }
    }
    Map<String, Long> stats = lastStats(dir.resolve("stat.csv"));
    long succeeded = stats.getOrDefault("SuccessfulCall(C)", 0L);
    Map<String, Long> failures = new LinkedHashMap<>();
    stats.forEach(
        (name, count) -> {
          if (name.startsWith("Failed") && name.endsWith("(C)") && count > 0) {
            failures.put("SIPp " + name.substring(0, name.length() - 3) + " (UAC view)", count);
          }
        });
    long accounted = succeeded + stats.getOrDefault("FailedCall(C)", 0L);
    if (calls > accounted) {
      failures.put("not started or not finished when SIPp stopped", calls - accounted);
    }
    double achieved = setups.count() < 2 ? 0 : (setups.count() - 1) / ((last - first) / 1000);
    // SIPp paces the INVITEs itself (-r); their times are known for the answered calls only
    double offered =
        setups.count() < 2 ? Double.NaN : (setups.count() - 1) / ((lastStart - firstStart) / 1000);
    return new PathResult(
        path,
        rate,
        calls,
        offered,
        succeeded,
        achieved,
        setups,
        failures,
        generatorCpu,
        seconds,
        stats.getOrDefault("Retransmissions(C)", 0L) > 0
            ? stats.get("Retransmissions(C)") + " SIP retransmissions by the UAC (500 ms T1 each)"
            : "");
  }

  /** The last line of SIPp's -trace_stat file, by column name. */
  private static Map<String, Long> lastStats(Path file) throws IOException {
    Map<String, Long> stats = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return stats;
    }
    List<String> lines = Files.readAllLines(file);
    if (lines.size() < 2) {
      return stats;
    }
    String[] names = lines.get(0).split(";");
    String[] values = lines.get(lines.size() - 1).split(";");
    for (int i = 0; i < Math.min(names.length, values.length); i++) {
      try {
        stats.put(names[i], Long.parseLong(values[i].trim()));
      } catch (NumberFormatException notACount) {
        // dates, durations, rates
      }
    }
    return stats;
  }

  private static Process start(Path dir, String log, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    Children.add(p);
    return p;
  }
}

package dev.tandem.bench.cps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Call setup rate through the real bridge process (issue 16): the browser → SIP path (WebSocket
 * sessions with Chromium offers → bridge → SIPp UAS) and the SIP → SIP path (SIPp UAC → bridge's
 * registrar B2BUA → SIPp UAS registered as an account), each with a bridge process of its own,
 * warmed up, then at each rate of the ladder; and the reference in the same run, SIPp UAC → SIPp
 * UAS directly at the same rate, hold time and duration. Everything runs one after the other, never
 * at once, so each run has the machine to itself (with its load generator). Prints offered and
 * achieved calls per second, failures with their causes, setup time p50/p99/max against the
 * reference, and the bridge's CPU, allocation per call, GC pauses and threads (see {@link
 * BridgeMeter}).
 *
 * <pre>
 *   scripts/bench-cps [--rates 200,400,800,1000] [--seconds 10] [--paths browser,sip]
 *                     [--hold 1] [--sessions 50] [--warmup 10] [--port-base 15000]
 *                     [--media-ports 40000-49999] [--answer-timeout 10] [--reference true]
 *                     [--bridge-jvm "-Xmx1g ..."] [--jar bridge-app/target/tandem.jar]
 *                     [--backend embedded|rtpengine] [--rtpengines 1] [--delete-delay 0]
 * </pre>
 *
 * <p>With {@code --backend rtpengine} the bridge relays media through rtpengines this benchmark
 * starts and stops (userspace, loopback), a fresh set for each path: {@code --rtpengines} of them
 * as a pool, {@code --media-ports} split between them. After each step it reports how many calls
 * each rtpengine still holds (rtpengine-ctl) and how often it ran out of ports. {@code
 * --delete-delay} sets {@code media.rtpengine.delete-delay} in seconds (30 is rtpengine's own
 * default, which the bridge used before it sent one: it shows how a range runs out).
 */
public final class CpsBench {
  private CpsBench() {}

  private static final int WARMUP_RATE = 100;

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    List<Integer> rates =
        Arrays.stream(options.getOrDefault("rates", "200,400,800,1000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    List<String> paths = List.of(options.getOrDefault("paths", "browser,sip").split(","));
    double hold = Double.parseDouble(options.getOrDefault("hold", "1"));
    if (hold <= 0 || hold > 5) {
      // the synthetic browser never does ICE or DTLS: the relay gives up on the handshake after 10
      // s
      // and ends the call at its next media check (docs/sip.md), so longer holds measure that
      throw new IllegalArgumentException("--hold must be > 0 and <= 5 seconds");
    }
    int holdMillis = (int) Math.round(hold * 1000);
    int sessions = Integer.parseInt(options.getOrDefault("sessions", "50"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
    int answerTimeout = Integer.parseInt(options.getOrDefault("answer-timeout", "10"));
    boolean reference = Boolean.parseBoolean(options.getOrDefault("reference", "true"));
    String backend = options.getOrDefault("backend", "embedded");
    if (!backend.equals("embedded") && !backend.equals("rtpengine")) {
      throw new IllegalArgumentException("--backend must be embedded or rtpengine");
    }
    int rtpengines = Integer.parseInt(options.getOrDefault("rtpengines", "1"));
    int deleteDelay = Integer.parseInt(options.getOrDefault("delete-delay", "0"));
    String[] media = options.getOrDefault("media-ports", "40000-49999").split("-");
    Ports ports =
        new Ports(
            Integer.parseInt(options.getOrDefault("port-base", "15000")),
            Integer.parseInt(media[0]),
            Integer.parseInt(media[1]));
    List<String> jvm =
        options.getOrDefault("bridge-jvm", "").isBlank()
            ? List.of()
            : List.of(options.get("bridge-jvm").trim().split("\\s+"));
    Path jar =
        Path.of(options.getOrDefault("jar", "bridge-app/target/tandem.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(jar + " is missing; build it (scripts/bench-cps does)");
    }
    Path dir =
        Path.of(
            options.getOrDefault(
                "dir",
                "bench/target/bench-cps/"
                    + LocalDateTime.now()
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
    Files.createDirectories(dir);
    dir = dir.toAbsolutePath();
    Children.writePidsTo(dir.resolve("pids"));
    Duration mediaTimeout = Duration.ofSeconds(60 + (long) Math.ceil(hold));

    System.out.printf(
        Locale.ROOT,
        "bench-cps: rates %s/s, %d s each, paths %s, hold %.1f s after the answer, answer timeout"
            + " %d s; %d WebSocket sessions (one development user each); %d cores shared by the"
            + " bridge and the load%n",
        rates,
        seconds,
        paths,
        hold,
        answerTimeout,
        sessions,
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "bridge: java -jar "
            + jar
            + " run --config "
            + dir.resolve("<path>/tandem.yaml")
            + ", a fresh one for each path (+ -Xlog:gc"
            + (jvm.isEmpty() ? "" : " " + String.join(" ", jvm))
            + "); limits raised so they do not throttle the load: "
            + BridgeProcess.raisedLimits(mediaTimeout));
    System.out.println("run directory (logs, SIPp traces): " + dir);
    if (backend.equals("rtpengine")) {
      int perInstance = (ports.mediaMax() - ports.mediaMin() + 1) / rtpengines;
      int maxRate = rates.stream().mapToInt(Integer::intValue).max().orElse(0);
      // about 4 ports per call held (rtpengine takes an even/odd pair per side); calls are held
      // for the hold time plus setup, and deleted with delete-delay 0
      long needed = Math.round(4 * maxRate * (hold + 2));
      System.out.printf(
          Locale.ROOT,
          "media: %d rtpengine(s), %d media ports each (%d-%d split); %d/s x (hold %.1f s + 2 s)"
              + " x 4 ports = %d ports in use at most%s%n",
          rtpengines,
          perInstance,
          ports.mediaMin(),
          ports.mediaMax(),
          maxRate,
          hold,
          needed,
          needed > (long) perInstance * rtpengines
              ? " -- MORE than the range: widen --media-ports"
              : "");
    }
    System.out.println(loadAverage("at the start"));
    ports.checkFree();

    List<Report.Row> measured = new ArrayList<>();
    Map<Integer, PathResult> directs = new TreeMap<>();
    for (String path : paths) {
      // each path has a bridge of its own, so that neither sees the other's threads, heap or JIT
      Path pathDir = Files.createDirectories(dir.resolve(path.trim()));
      List<RtpengineInstance> engines = new ArrayList<>();
      if (backend.equals("rtpengine")) {
        int perInstance = (ports.mediaMax() - ports.mediaMin() + 1) / rtpengines;
        for (int i = 0; i < rtpengines; i++) {
          int min = ports.mediaMin() + i * perInstance;
          engines.add(
              RtpengineInstance.start(pathDir, "rtpengine-" + i, min, min + perInstance - 1));
        }
      }
      try (BridgeProcess bridge =
          BridgeProcess.start(
              jar,
              pathDir,
              BridgeProcess.config(ports, sessions, mediaTimeout, engines, deleteDelay),
              ports,
              jvm)) {
        Sipp.register(pathDir, ports);
        Process uas = Sipp.uas(pathDir, ports);
        Thread.sleep(500);
        if (!uas.isAlive()) {
          throw new IllegalStateException(
              "SIPp UAS exited: " + Files.readString(pathDir.resolve("sipp-uas.log")));
        }
        BridgeMeter meter = new BridgeMeter(bridge.pid(), new GcLog(bridge.gcLog));
        Step step =
            new Step(
                pathDir,
                ports,
                sessions,
                holdMillis,
                answerTimeout,
                uas.pid(),
                bridge,
                meter,
                engines);
        if (warmup > 0) {
          Report.Row w = step.run(path.trim(), WARMUP_RATE, warmup, "warmup-");
          System.out.printf(
              Locale.ROOT,
              "warm-up (not reported): %s %d calls at %d/s, %d failed%n",
              w.load().path(),
              w.load().offered(),
              WARMUP_RATE,
              w.load().failed());
        }
        for (int rate : rates) {
          Report.Row row = step.run(path.trim(), rate, seconds, "");
          measured.add(row);
          progress(row.load());
          if (reference && !directs.containsKey(rate)) {
            PathResult direct =
                Sipp.uac(
                    "sipp->sipp",
                    dir.resolve(rate + "-direct"),
                    ports,
                    3,
                    ports.uacDirect(),
                    ports.uas(),
                    "direct",
                    rate,
                    seconds,
                    holdMillis,
                    answerTimeout * 1000,
                    uas.pid());
            directs.put(rate, direct);
            progress(direct);
            settle();
          }
        }
        Children.stop(uas, 10);
      } finally {
        Children.stopAll();
      }
    }
    List<Report.Row> rows = new ArrayList<>();
    for (int rate : rates) {
      for (Report.Row row : measured) {
        if (row.load().rate() == rate) {
          rows.add(
              new Report.Row(row.load(), row.bridge(), directs.get(rate), row.bridgeWarnings()));
        }
      }
    }
    System.out.println(loadAverage("at the end"));
    Report.print(rows, new ArrayList<>(directs.values()));
    System.out.println();
    System.out.println(
        "Columns: offered/s = rate the calls were started at; achieved/s = answered calls /"
            + " (last answer - first answer); failed = calls not answered within the answer timeout"
            + " or not ended cleanly by our hangup; p50/p99/max = setup (call.invite sent ->"
            + " call.answered, or SIPp INVITE -> 200, which SIPp reports in steps of 4 ms here); ref = the same"
            + " from SIPp -> SIPp directly; added p99 = p99 - ref p99. Bridge: CPU % of one core"
            + " over the run (200 % = this whole 2-core machine), CPU ms and KB allocated per"
            + " offered call, GC pauses (count, total, longest), heap after the last GC, the most"
            + " threads seen (sampled every 100 ms) and the most without the relay's DTLS handshake threads"
            + " (w/o dtls: the synthetic browser never answers DTLS, so each of its calls holds one"
            + " such thread until it ends). gen CPU% = the load generator (this JVM or"
            + " the SIPp UAC, plus the SIPp UAS), which competes with the bridge for the same"
            + " cores. With --backend rtpengine the media of the browser path goes through"
            + " rtpengine instead of the embedded relay (the sip path has no media backend).");
  }

  /** Other work on the machine competes with the bridge and the load for the same cores. */
  private static String loadAverage(String when) {
    try {
      String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return "machine load average " + when + ": " + avg[0] + " " + avg[1] + " " + avg[2];
    } catch (java.io.IOException e) {
      return "machine load average " + when + ": unknown (" + e.getMessage() + ")";
    }
  }

  private static void progress(PathResult r) {
    System.out.printf(
        Locale.ROOT,
        "%s %d/s: %d calls, %d failed, achieved %.0f/s, setup p50 %.1f p99 %.1f max %.1f ms%n",
        r.path(),
        r.rate(),
        r.offered(),
        r.failed(),
        r.achievedPerSecond(),
        r.setups().percentileMillis(0.5),
        r.setups().percentileMillis(0.99),
        r.setups().maxMillis());
  }

  /** Lets the last calls' state (SIPp UAS keeps each 4 s after BYE) and the bridge settle. */
  private static void settle() throws InterruptedException {
    TimeUnit.SECONDS.sleep(2);
  }

  /** One path at one rate through the bridge, measured. */
  private record Step(
      Path dir,
      Ports ports,
      int sessions,
      int holdMillis,
      int answerTimeout,
      long uasPid,
      BridgeProcess bridge,
      BridgeMeter meter,
      List<RtpengineInstance> engines) {
    Report.Row run(String path, int rate, int seconds, String prefix) throws Exception {
      long log = bridge.logLength();
      Report.Row row =
          switch (path) {
            case "browser" -> browser(rate, seconds);
            case "sip" -> sip(rate, seconds, dir.resolve(prefix + rate + "-sip"));
            default -> throw new IllegalArgumentException("unknown path " + path);
          };
      settle();
      for (RtpengineInstance engine : engines) {
        System.out.printf(
            Locale.ROOT,
            "%s%s %d/s: rtpengine :%d (ports %d-%d) holds %d calls after the step; 'Ran out of"
                + " ports' logged %d times so far%n",
            prefix,
            path,
            rate,
            engine.ngPort,
            engine.portMin,
            engine.portMax,
            engine.sessions(),
            engine.outOfPorts());
      }
      return new Report.Row(row.load(), row.bridge(), null, bridge.warnings(log));
    }

    private Report.Row browser(int rate, int seconds) throws Exception {
      try (BrowserLoad load =
          BrowserLoad.connect(
              ports.http(),
              sessions,
              TimeUnit.MILLISECONDS.toNanos(holdMillis),
              TimeUnit.SECONDS.toNanos(answerTimeout))) {
        meter.start();
        PathResult result = load.run(rate, seconds, uasPid);
        return new Report.Row(result, meter.stop(), null, Map.of());
      }
    }

    private Report.Row sip(int rate, int seconds, Path stepDir) throws Exception {
      meter.start();
      PathResult result =
          Sipp.uac(
              "sip->sip",
              stepDir,
              ports,
              2,
              ports.uacToBridge(),
              ports.bridgeSip(),
              BridgeProcess.ACCOUNT,
              rate,
              seconds,
              holdMillis,
              answerTimeout * 1000,
              uasPid);
      return new Report.Row(result, meter.stop(), null, Map.of());
    }
  }

  /** {@code --name value} pairs. */
  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}

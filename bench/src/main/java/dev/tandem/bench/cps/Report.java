package dev.tandem.bench.cps;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table {@link CpsBench} prints, and the figures against the goals of issue 16. */
final class Report {
  private Report() {}

  /** One path at one rate through the bridge, with the bridge's figures and the reference. */
  record Row(
      PathResult load,
      BridgeMeter.Figures bridge,
      PathResult direct,
      Map<String, Long> bridgeWarnings) {}

  private static final String HEADER =
      "%-13s %9s %10s %7s %8s %8s %8s %8s %8s %9s | %7s %7s %8s %4s %8s %7s %7s %7s %8s | %7s%n";
  private static final String LINE =
      "%-13s %9.0f %10.0f %7d %8.1f %8.1f %8.1f %8s %8s %9s | %7.0f %7.2f %8.0f %4d %8.1f %7.1f"
          + " %7s %7d %8d | %7.0f%n";

  static void print(List<Row> rows, List<PathResult> directs) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        HEADER,
        "path",
        "offered/s",
        "achieved/s",
        "failed",
        "p50 ms",
        "p99 ms",
        "max ms",
        "ref p50",
        "ref p99",
        "added p99",
        "CPU %",
        "ms/call",
        "KB/call",
        "GCs",
        "pause ms",
        "max ms",
        "heap MB",
        "threads",
        "w/o dtls",
        "gen CPU%");
    for (Row r : rows) {
      PathResult l = r.load();
      BridgeMeter.Figures b = r.bridge();
      double refP50 = r.direct() == null ? Double.NaN : r.direct().setups().percentileMillis(0.5);
      double refP99 = r.direct() == null ? Double.NaN : r.direct().setups().percentileMillis(0.99);
      double p99 = l.setups().percentileMillis(0.99);
      System.out.printf(
          Locale.ROOT,
          LINE,
          l.path() + " " + l.rate(),
          l.offeredPerSecond(),
          l.achievedPerSecond(),
          l.failed(),
          l.setups().percentileMillis(0.5),
          p99,
          l.setups().maxMillis(),
          ms(refP50),
          ms(refP99),
          ms(p99 - refP99),
          100.0 * b.cpuNanos() / (b.seconds() * 1e9),
          b.cpuNanos() / 1e6 / l.offered(),
          b.allocatedBytes() / 1024.0 / l.offered(),
          b.pauses().size(),
          b.pauseTotalMillis(),
          b.pauseMaxMillis(),
          b.heapAfterLastGc() < 0 ? "-" : Long.toString(b.heapAfterLastGc() >> 20),
          b.maxThreads(),
          b.maxThreadsWithoutDtls(),
          100.0 * l.generatorCpuNanos() / (l.seconds() * 1e9));
    }
    for (PathResult d : directs) {
      System.out.printf(
          Locale.ROOT,
          "%-13s %9.0f %10.0f %7d %8.1f %8.1f %8.1f %8s %8s %9s | %73s | %7.0f%n",
          "sipp->sipp " + d.rate(),
          d.offeredPerSecond(),
          d.achievedPerSecond(),
          d.failed(),
          d.setups().percentileMillis(0.5),
          d.setups().percentileMillis(0.99),
          d.setups().maxMillis(),
          "",
          "",
          "",
          "(reference: SIPp UAC -> SIPp UAS directly, no bridge)",
          100.0 * d.generatorCpuNanos() / (d.seconds() * 1e9));
    }
    for (Row r : rows) {
      printFailures(r.load());
      int shown = 0;
      for (Map.Entry<String, Long> w : r.bridgeWarnings().entrySet()) {
        if (shown++ == 3) {
          System.out.printf(
              Locale.ROOT,
              "  ... %d more kinds of warnings in the bridge's log%n",
              r.bridgeWarnings().size() - 3);
          break;
        }
        System.out.printf(Locale.ROOT, "  bridge log, %d x: %s%n", w.getValue(), w.getKey());
      }
    }
    for (PathResult d : directs) {
      printFailures(d);
    }
    goals(rows);
  }

  private static void printFailures(PathResult r) {
    if (!r.notes().isEmpty()) {
      System.out.printf(Locale.ROOT, "%s %d/s: %s%n", r.path(), r.rate(), r.notes());
    }
    if (r.failures().isEmpty()) {
      return;
    }
    StringBuilder why = new StringBuilder();
    for (Map.Entry<String, Long> e : r.failures().entrySet()) {
      why.append(why.length() == 0 ? "" : "; ").append(e.getValue()).append(" ").append(e.getKey());
    }
    System.out.printf(Locale.ROOT, "%s %d/s failures: %s%n", r.path(), r.rate(), why);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static void goals(List<Row> rows) {
    System.out.println();
    for (Row r : rows) {
      PathResult l = r.load();
      if (l.rate() == 400 && r.direct() != null) {
        double added =
            l.setups().percentileMillis(0.99) - r.direct().setups().percentileMillis(0.99);
        System.out.printf(
            Locale.ROOT,
            "goal %s at 400/s, p99 setup added by the bridge < 20 ms: %.1f ms, %s%n",
            l.path(),
            added,
            added < 20 ? "met" : "NOT met");
      }
      if (l.rate() == 800 || l.rate() == 1000) {
        boolean met = l.failed() == 0 && l.achievedPerSecond() >= 0.95 * l.rate();
        System.out.printf(
            Locale.ROOT,
            "goal %s at %d/s with 0 failed calls%s: %.0f/s achieved, %d failed, %s%n",
            l.path(),
            l.rate(),
            l.rate() == 1000 ? " (stretch)" : "",
            l.achievedPerSecond(),
            l.failed(),
            met ? "met" : "NOT met");
      }
    }
    double kb = 0;
    int threads = 0;
    int withoutDtls = 0;
    for (Row r : rows) {
      kb = Math.max(kb, r.bridge().allocatedBytes() / 1024.0 / r.load().offered());
      threads = Math.max(threads, r.bridge().maxThreads());
      withoutDtls = Math.max(withoutDtls, r.bridge().maxThreadsWithoutDtls());
    }
    if (!rows.isEmpty()) {
      System.out.printf(
          Locale.ROOT,
          "goal <= 100 KB allocated per call: at most %.0f KB, %s%n",
          kb,
          kb <= 100 ? "met" : "NOT met");
      System.out.printf(
          Locale.ROOT,
          "goal <= 200 threads at any load: at most %d, %s (%d without the relay's DTLS handshake"
              + " threads, which the synthetic browser keeps waiting for the whole call)%n",
          threads,
          threads <= 200 ? "met" : "NOT met",
          withoutDtls);
    }
  }
}

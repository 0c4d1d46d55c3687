package dev.tandem.bench.relay;

import java.util.List;
import java.util.Locale;

/** The table {@link RelayLoad} prints, and the embedded relay's figures against the reference. */
final class Report {
  private Report() {}

  static void print(List<RelayLoad.Result> results) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "%-10s %14s %9s %9s %9s %9s %11s %16s %10s%n",
        "backend",
        "relayed pkt/s",
        "loss",
        "p50 ms",
        "p99 ms",
        "p99.9 ms",
        "relay CPU",
        "CPU/1,000 calls",
        "generator");
    for (RelayLoad.Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-10s %,14.0f %8.4f%% %9.3f %9.3f %9.3f %6.2f cores %10.2f cores %5.2f cores%n",
          r.backend(),
          r.packetsPerSecond(),
          100 * r.loss(),
          r.latency().percentileMillis(0.50),
          r.latency().percentileMillis(0.99),
          r.latency().percentileMillis(0.999),
          r.relayCores(),
          r.coresPerThousandCalls(),
          r.generatorCores());
      if (r.misrouted() > 0 || r.undecryptable() > 0) {
        System.out.printf(
            Locale.ROOT,
            "%-10s %d packets at the wrong call, %d that failed SRTP%n",
            "",
            r.misrouted(),
            r.undecryptable());
      }
    }
    RelayLoad.Result embedded = find(results, "embedded");
    RelayLoad.Result rtpengine = find(results, "rtpengine");
    if (embedded != null && rtpengine != null && rtpengine.relayCores() > 0) {
      System.out.printf(
          Locale.ROOT,
          "%nembedded relay: %.2fx rtpengine's CPU for the same load, p99 %.3f ms vs %.3f ms%n",
          embedded.relayCores() / rtpengine.relayCores(),
          embedded.latency().percentileMillis(0.99),
          rtpengine.latency().percentileMillis(0.99));
    }
    if (embedded != null) {
      boolean met =
          embedded.calls() >= 1000
              && embedded.loss() == 0
              && embedded.latency().percentileMillis(0.99) < 1.0
              && (rtpengine == null || embedded.relayCores() <= rtpengine.relayCores());
      System.out.printf(
          Locale.ROOT,
          "goal (>= 1,000 calls, 0 loss, p99 < 1 ms, CPU <= rtpengine userspace): %s%n",
          met ? "met" : "NOT met");
    }
  }

  private static RelayLoad.Result find(List<RelayLoad.Result> results, String name) {
    return results.stream().filter(r -> r.backend().equals(name)).findFirst().orElse(null);
  }
}

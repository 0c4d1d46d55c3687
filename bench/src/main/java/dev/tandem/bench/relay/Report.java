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
        "%6s %-10s %14s %9s %9s %9s %9s %11s %16s %10s%n",
        "calls",
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
          "%6d %-10s %,14.0f %8.4f%% %9.3f %9.3f %9.3f %6.2f cores %10.2f cores %5.2f cores%n",
          r.calls(),
          r.backend(),
          r.packetsPerSecond(),
          100 * r.loss(),
          r.latency().percentileMillis(0.50),
          r.latency().percentileMillis(0.99),
          r.latency().percentileMillis(0.999),
          r.relayCores(),
          r.coresPerThousandCalls(),
          r.generatorCores());
      if (r.sentVideo() > 0) {
        System.out.printf(
            Locale.ROOT,
            "%6s %-10s video: %,.0f pkt/s relayed, loss %.4f%%; CPU per call %.3f ms/s%n",
            "",
            "",
            r.receivedVideo() / r.seconds(),
            100 * r.videoLoss(),
            r.relayCores() * 1000.0 / r.calls());
      }
      if (r.misrouted() > 0 || r.undecryptable() > 0) {
        System.out.printf(
            Locale.ROOT,
            "%6s %-10s %d packets at the wrong call, %d that failed SRTP%n",
            "",
            "",
            r.misrouted(),
            r.undecryptable());
      }
    }
    System.out.println();
    for (RelayLoad.Result embedded : results) {
      if (!embedded.backend().equals("embedded")) {
        continue;
      }
      RelayLoad.Result rtpengine = find(results, "rtpengine", embedded.calls());
      if (rtpengine != null && rtpengine.relayCores() > 0 && rtpengine.packetsPerSecond() > 0) {
        double perPacket =
            (embedded.relayCores() / embedded.packetsPerSecond())
                / (rtpengine.relayCores() / rtpengine.packetsPerSecond());
        System.out.printf(
            Locale.ROOT,
            "%d calls: embedded relay CPU per relayed packet = %.2fx rtpengine's; p99 %.3f ms vs"
                + " %.3f ms%n",
            embedded.calls(),
            perPacket,
            embedded.latency().percentileMillis(0.99),
            rtpengine.latency().percentileMillis(0.99));
      }
      boolean met =
          embedded.calls() >= 1000
              && embedded.loss() <= 0
              && embedded.latency().percentileMillis(0.99) < 1.0
              && (rtpengine == null || embedded.relayCores() <= rtpengine.relayCores());
      if (embedded.calls() >= 1000) {
        System.out.printf(
            Locale.ROOT,
            "goal at %d calls (0 loss, p99 < 1 ms, CPU <= rtpengine userspace): %s%n",
            embedded.calls(),
            met ? "met" : "NOT met");
      }
    }
  }

  private static RelayLoad.Result find(List<RelayLoad.Result> results, String name, int calls) {
    return results.stream()
        .filter(r -> r.backend().equals(name) && r.calls() == calls)
        .findFirst()
        .orElse(null);
  }
}

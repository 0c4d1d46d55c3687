package dev.tandem.bench.cps;

import java.util.Map;

/**
 * What the load generator saw of one path at one rate.
 *
 * @param offered calls the generator started
 * @param offeredPerSecond the rate it started them at: (offered - 1) / (last start - first start)
 * @param succeeded calls answered in time and hung up cleanly
 * @param achievedPerSecond answered calls / (last answer - first answer), so a bridge that falls
 *     behind shows a lower rate even when every call eventually succeeds
 * @param failures why the other calls failed, with counts
 * @param generatorCpuNanos CPU of the load generator (this JVM or SIPp UAC, and the SIPp UAS)
 * @param notes what else the generator saw (SIPp's retransmissions), or empty
 */
record PathResult(
    String path,
    int rate,
    long offered,
    double offeredPerSecond,
    long succeeded,
    double achievedPerSecond,
    Setups setups,
    Map<String, Long> failures,
    long generatorCpuNanos,
    double seconds,
    String notes) {
  long failed() {
    return offered - succeeded;
  }
}

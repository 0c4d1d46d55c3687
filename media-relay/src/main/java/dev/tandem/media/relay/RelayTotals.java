package dev.tandem.media.relay;

/**
 * The embedded relay's running totals since it started, over every call it has carried (ended and
 * in progress): packets and bytes received from each side, packets dropped (garbage, failed
 * authentication, replays, unlatched sources, nowhere to send yet), and of those the SIP side's
 * SRTP/SRTCP packets that failed SDES authentication. Each figure only grows (Prometheus counters).
 */
public record RelayTotals(
    long packetsFromBrowser,
    long bytesFromBrowser,
    long packetsFromSip,
    long bytesFromSip,
    long dropped,
    long sipAuthFailures) {

  /** Nothing yet. */
  public static final RelayTotals ZERO = new RelayTotals(0, 0, 0, 0, 0, 0);

  /** These totals plus one call's counters. */
  RelayTotals plus(RelayStats call) {
    return new RelayTotals(
        packetsFromBrowser + call.packetsFromBrowser(),
        bytesFromBrowser + call.bytesFromBrowser(),
        packetsFromSip + call.packetsFromSip(),
        bytesFromSip + call.bytesFromSip(),
        dropped + call.dropped(),
        sipAuthFailures + call.sipAuthFailures());
  }
}

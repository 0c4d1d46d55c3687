package dev.tandem.media.relay;

/**
 * The embedded relay's running totals since it started, over every call it has carried (ended and
 * in progress): packets and bytes received from each side, packets dropped (garbage, failed
 * authentication, replays, unlatched sources, nowhere to send yet), and of those the SIP side's
 * SRTP/SRTCP packets that failed SDES authentication and the browser's RTP of no negotiated stream
 * (its payload type in neither the audio nor the video map). Packets and bytes are audio's; the
 * video's are beside them. Each figure only grows (Prometheus counters).
 */
public record RelayTotals(
    long packetsFromBrowser,
    long bytesFromBrowser,
    long packetsFromSip,
    long bytesFromSip,
    long dropped,
    long sipAuthFailures,
    long unknownStreamDrops,
    long videoPacketsFromBrowser,
    long videoBytesFromBrowser,
    long videoPacketsFromSip,
    long videoBytesFromSip) {

  /** Nothing yet. */
  public static final RelayTotals ZERO = new RelayTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** These totals plus one call's counters. */
  RelayTotals plus(RelayStats call) {
    return new RelayTotals(
        packetsFromBrowser + call.packetsFromBrowser(),
        bytesFromBrowser + call.bytesFromBrowser(),
        packetsFromSip + call.packetsFromSip(),
        bytesFromSip + call.bytesFromSip(),
        dropped + call.dropped(),
        sipAuthFailures + call.sipAuthFailures(),
        unknownStreamDrops + call.unknownStreamDrops(),
        videoPacketsFromBrowser + call.video().packetsFromBrowser(),
        videoBytesFromBrowser + call.video().bytesFromBrowser(),
        videoPacketsFromSip + call.video().packetsFromSip(),
        videoBytesFromSip + call.video().bytesFromSip());
  }
}

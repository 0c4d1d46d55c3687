package dev.tandem.media.relay;

import dev.tandem.core.media.MediaStats;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One relay endpoint's counters: audio packets and bytes forwarded each way, packets dropped
 * (garbage, failed authentication, replays, unlatched sources, nowhere to send yet), of those the
 * SIP side's SRTP/SRTCP packets that failed SDES authentication (or were replays), the latest
 * reception report each side sent about the audio in RTCP, the video's packets and bytes, and the
 * browser's RTP of no negotiated stream (a payload type in neither map, also counted as dropped).
 */
record RelayStats(
    long packetsFromBrowser,
    long bytesFromBrowser,
    long packetsFromSip,
    long bytesFromSip,
    long dropped,
    long sipAuthFailures,
    Optional<ReceptionReport> browserReceives,
    Optional<ReceptionReport> sipReceives,
    Video video,
    long unknownStreamDrops) {

  /** The video stream's RTP packets and bytes each way. */
  record Video(
      long packetsFromBrowser, long bytesFromBrowser, long packetsFromSip, long bytesFromSip) {
    static final Video NONE = new Video(0, 0, 0, 0);
  }

  /**
   * As core records it: each direction's packets and bytes, with the loss and jitter the receiving
   * side reported (the SIP side's report describes the browser's media, and the other way round).
   */
  MediaStats toMediaStats() {
    return new MediaStats(
        flow(packetsFromBrowser, bytesFromBrowser, sipReceives),
        flow(packetsFromSip, bytesFromSip, browserReceives));
  }

  private static MediaStats.Flow flow(
      long packets, long bytes, Optional<ReceptionReport> receiverSays) {
    return new MediaStats.Flow(
        packets,
        bytes,
        receiverSays.map(r -> OptionalLong.of(r.cumulativeLost())).orElse(OptionalLong.empty()),
        receiverSays.map(r -> OptionalLong.of(r.jitter())).orElse(OptionalLong.empty()));
  }

  @Override
  public String toString() {
    return "browser→SIP "
        + packetsFromBrowser
        + " packets/"
        + bytesFromBrowser
        + " bytes, SIP→browser "
        + packetsFromSip
        + " packets/"
        + bytesFromSip
        + " bytes, "
        + dropped
        + " dropped"
        + (sipAuthFailures > 0
            ? " (" + sipAuthFailures + " SIP-side SRTP authentication failures)"
            : "")
        + browserReceives.map(r -> "; browser reports " + describe(r)).orElse("")
        + sipReceives.map(r -> "; SIP side reports " + describe(r)).orElse("")
        + (video.equals(Video.NONE)
            ? ""
            : "; video browser→SIP "
                + video.packetsFromBrowser()
                + " packets/"
                + video.bytesFromBrowser()
                + " bytes, SIP→browser "
                + video.packetsFromSip()
                + " packets/"
                + video.bytesFromSip()
                + " bytes")
        + (unknownStreamDrops > 0 ? "; " + unknownStreamDrops + " of no known stream" : "");
  }

  private static String describe(ReceptionReport r) {
    return r.cumulativeLost() + " lost, jitter " + r.jitter() + " ts units";
  }
}

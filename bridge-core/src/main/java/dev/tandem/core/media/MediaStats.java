package dev.tandem.core.media;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a call's media did, as the media backend counted it when the call released its media: for
 * each direction, the packets and bytes the relay received from the sending side, and what the
 * receiving side said about that stream in its last RTCP reception report (RFC 3550 §6.4.1).
 *
 * @param fromBrowser the browser's media, toward the SIP side
 * @param fromSip the SIP side's media, toward the browser
 */
public record MediaStats(Flow fromBrowser, Flow fromSip) {
  public MediaStats {
    Objects.requireNonNull(fromBrowser, "fromBrowser");
    Objects.requireNonNull(fromSip, "fromSip");
  }

  /** No media at all (no endpoint was allocated, or nothing flowed). */
  public static final MediaStats NONE = new MediaStats(Flow.NONE, Flow.NONE);

  /**
   * One direction of media.
   *
   * @param packets RTP and RTCP packets the relay received from the sending side
   * @param bytes their bytes (UDP payload)
   * @param packetsLost cumulative packets lost, as the receiving side reported in RTCP; empty
   *     without a report
   * @param jitter interarrival jitter in RTP timestamp units (1/8000 s for PCMU, PCMA and G.722,
   *     1/48000 s for opus), as the receiving side reported in RTCP; empty without a report
   */
  public record Flow(long packets, long bytes, OptionalLong packetsLost, OptionalLong jitter) {
    public Flow {
      Objects.requireNonNull(packetsLost, "packetsLost");
      Objects.requireNonNull(jitter, "jitter");
    }

    /** Nothing received, nothing reported. */
    public static final Flow NONE = new Flow(0, 0, OptionalLong.empty(), OptionalLong.empty());
  }
}

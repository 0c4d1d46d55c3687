package dev.tandem.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * What a payload type means, independent of its number: encoding name, clock rate and channels. Two
 * sides of a call agree on a codec by this identity (RFC 3264 §6.1), never by number, since each
 * side numbers dynamic payload types its own way (telephone-event is 126 in Chromium, 101 in most
 * SIP phones).
 *
 * @param name encoding name in upper case, except {@code opus} and {@code telephone-event} as
 *     commonly written; compared case-insensitively (RFC 4855 §3)
 */
public record Codec(String name, int clockRate, int channels) {

  public static final Codec PCMU = new Codec("PCMU", 8000, 1);
  public static final Codec PCMA = new Codec("PCMA", 8000, 1);
  public static final Codec G722 = new Codec("G722", 8000, 1);
  public static final Codec OPUS = new Codec("opus", 48000, 2);
  public static final Codec TELEPHONE_EVENT = new Codec("telephone-event", 8000, 1);
  public static final Codec VP8 = new Codec("VP8", 90000, 1);
  public static final Codec VP9 = new Codec("VP9", 90000, 1);
  public static final Codec H264 = new Codec("H264", 90000, 1);

  public Codec {
    Objects.requireNonNull(name, "name");
    if (clockRate <= 0 || channels <= 0) {
      throw new IllegalArgumentException("clock rate and channels must be positive");
    }
  }

  /** The codec an {@code a=rtpmap} names. */
  public static Codec of(Rtpmap rtpmap) {
    return new Codec(rtpmap.encodingName(), rtpmap.clockRate(), rtpmap.channels());
  }

  /**
   * The codec of a static payload type when no {@code a=rtpmap} names it (RFC 3551 §6, audio only:
   * video static types are not used by anything this bridge talks to).
   */
  public static Optional<Codec> ofStaticPayloadType(int payloadType) {
    return switch (payloadType) {
      case 0 -> Optional.of(PCMU);
      case 3 -> Optional.of(new Codec("GSM", 8000, 1));
      case 4 -> Optional.of(new Codec("G723", 8000, 1));
      case 8 -> Optional.of(PCMA);
      case 9 -> Optional.of(G722);
      case 13 -> Optional.of(new Codec("CN", 8000, 1));
      case 18 -> Optional.of(new Codec("G729", 8000, 1));
      default -> Optional.empty();
    };
  }

  /** Same encoding (case-insensitive), clock rate and channels. */
  public boolean sameAs(Codec other) {
    return name.equalsIgnoreCase(other.name)
        && clockRate == other.clockRate
        && channels == other.channels;
  }

  public boolean isTelephoneEvent() {
    return name.equalsIgnoreCase(TELEPHONE_EVENT.name);
  }

  /** The rtpmap for this codec at a payload type number. */
  public Rtpmap toRtpmap(int payloadType) {
    return new Rtpmap(
        payloadType,
        name,
        clockRate,
        channels == 1 ? Optional.empty() : Optional.of(Integer.toString(channels)));
  }

  /** {@code name/rate[/channels]}, as in an rtpmap. */
  @Override
  public String toString() {
    return name + "/" + clockRate + (channels == 1 ? "" : "/" + channels);
  }
}

package dev.tandem.sdp.translate;

import java.util.Objects;

/**
 * The relay's plain RTP side of one call, as the SIP peer must see it.
 *
 * @param address the address announced in {@code c=} (the advertised one behind NAT)
 * @param rtcpPort equal to {@code rtpPort} when RTCP is multiplexed (RFC 5761)
 */
public record PlainEndpoint(String address, int rtpPort, int rtcpPort) {
  public PlainEndpoint {
    Objects.requireNonNull(address, "address");
    if (rtpPort < 1 || rtpPort > 65535 || rtcpPort < 1 || rtcpPort > 65535) {
      throw new IllegalArgumentException("ports must be 1..65535");
    }
  }

  /** RTCP on the next port (RFC 3550 §11). */
  public static PlainEndpoint of(String address, int rtpPort) {
    return new PlainEndpoint(address, rtpPort, rtpPort + 1);
  }

  public boolean rtcpMux() {
    return rtcpPort == rtpPort;
  }
}

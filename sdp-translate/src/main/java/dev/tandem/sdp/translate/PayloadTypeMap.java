package dev.tandem.sdp.translate;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * How payload type numbers change between the browser side and the SIP side of one call, e.g.
 * telephone-event 126 in the browser's RTP becomes 101 toward a SIP phone that answered with 101.
 * The media relay rewrites every packet through it, so lookups are array reads; a payload type that
 * was not negotiated maps to -1 and the packet is dropped.
 */
public final class PayloadTypeMap {
  private final int[] toSip = new int[128];
  private final int[] toBrowser = new int[128];
  private final Map<Integer, Integer> browserToSip;

  /**
   * @param browserToSip browser payload type → SIP payload type, one-to-one
   */
  public PayloadTypeMap(Map<Integer, Integer> browserToSip) {
    Arrays.fill(toSip, -1);
    Arrays.fill(toBrowser, -1);
    this.browserToSip = Map.copyOf(browserToSip);
    browserToSip.forEach(
        (b, s) -> {
          if (b < 0 || b > 127 || s < 0 || s > 127) {
            throw new IllegalArgumentException("payload types are 0..127");
          }
          if (toBrowser[s] != -1) {
            throw new IllegalArgumentException("SIP payload type " + s + " mapped twice");
          }
          toSip[b] = s;
          toBrowser[s] = b;
        });
  }

  /** The SIP side's number for a browser payload type, or -1 when it was not negotiated. */
  public int toSip(int browserPayloadType) {
    return browserPayloadType >= 0 && browserPayloadType < 128 ? toSip[browserPayloadType] : -1;
  }

  /** The browser side's number for a SIP payload type, or -1 when it was not negotiated. */
  public int toBrowser(int sipPayloadType) {
    return sipPayloadType >= 0 && sipPayloadType < 128 ? toBrowser[sipPayloadType] : -1;
  }

  public Map<Integer, Integer> browserToSip() {
    return browserToSip;
  }

  /** Whether every negotiated payload type keeps its number (nothing to rewrite). */
  public boolean isIdentity() {
    return browserToSip.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PayloadTypeMap other && other.browserToSip.equals(browserToSip);
  }

  @Override
  public int hashCode() {
    return browserToSip.hashCode();
  }

  /** e.g. {@code {0=0, 126=101}} (browser=SIP). */
  @Override
  public String toString() {
    return new TreeMap<>(browserToSip).toString();
  }
}

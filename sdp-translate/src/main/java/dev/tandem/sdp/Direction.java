package dev.tandem.sdp;

import java.util.Optional;

/**
 * The media direction attributes (RFC 8866 §6.7, RFC 3264 §5.1), seen from the side that wrote the
 * description. Absent everywhere means {@link #SENDRECV}.
 */
public enum Direction {
  SENDRECV("sendrecv", true, true),
  SENDONLY("sendonly", true, false),
  RECVONLY("recvonly", false, true),
  INACTIVE("inactive", false, false);

  private final String attributeName;
  private final boolean sends;
  private final boolean receives;

  Direction(String attributeName, boolean sends, boolean receives) {
    this.attributeName = attributeName;
    this.sends = sends;
    this.receives = receives;
  }

  /** The attribute name as RFC 8866 spells it, e.g. {@code sendonly}. */
  public String attributeName() {
    return attributeName;
  }

  public boolean sends() {
    return sends;
  }

  public boolean receives() {
    return receives;
  }

  /** The direction that sends and receives as given. */
  public static Direction of(boolean sends, boolean receives) {
    if (sends) {
      return receives ? SENDRECV : SENDONLY;
    }
    return receives ? RECVONLY : INACTIVE;
  }

  /** The same stream seen from the other side: sendonly becomes recvonly and back. */
  public Direction reverse() {
    return of(receives, sends);
  }

  /** The direction an attribute name stands for, if it is one. */
  public static Optional<Direction> fromAttributeName(String name) {
    for (Direction d : values()) {
      if (d.attributeName.equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  public Attribute toAttribute() {
    return Attribute.property(attributeName);
  }
}

package dev.tandem.media.stun;

import dev.tandem.media.BigEndian;

/** STUN constants (RFC 8489) and the packet-sorting test of RFC 7983. */
public final class Stun {
  private Stun() {}

  public static final int HEADER_LENGTH = 20;
  public static final int MAGIC_COOKIE = 0x2112A442;

  /** Message types: method Binding (0x001) in its four classes (RFC 8489 §5). */
  public static final int BINDING_REQUEST = 0x0001;

  public static final int BINDING_INDICATION = 0x0011;
  public static final int BINDING_SUCCESS = 0x0101;
  public static final int BINDING_ERROR = 0x0111;

  /** Attribute types (RFC 8489 §18.3, RFC 8445 §16.1). */
  public static final int MAPPED_ADDRESS = 0x0001;

  public static final int USERNAME = 0x0006;
  public static final int MESSAGE_INTEGRITY = 0x0008;
  public static final int ERROR_CODE = 0x0009;
  public static final int XOR_MAPPED_ADDRESS = 0x0020;
  public static final int PRIORITY = 0x0024;
  public static final int USE_CANDIDATE = 0x0025;
  public static final int SOFTWARE = 0x8022;
  public static final int FINGERPRINT = 0x8028;
  public static final int ICE_CONTROLLED = 0x8029;
  public static final int ICE_CONTROLLING = 0x802A;

  /** RFC 8489 §14.7: the CRC-32 is XORed with this before it goes into FINGERPRINT. */
  static final int FINGERPRINT_XOR = 0x5354554E;

  /**
   * Whether a datagram on a multiplexed port is STUN (RFC 7983 §7: first byte 0–3) with the magic
   * cookie of RFC 5389 and later; cheap enough to run on every packet.
   */
  public static boolean isStun(byte[] packet, int offset, int length) {
    return length >= HEADER_LENGTH
        && (packet[offset] & 0xFF) <= 3
        && BigEndian.readInt(packet, offset + 4) == MAGIC_COOKIE;
  }
}

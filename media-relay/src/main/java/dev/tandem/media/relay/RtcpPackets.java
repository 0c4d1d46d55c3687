package dev.tandem.media.relay;

import dev.tandem.media.BigEndian;

/**
 * Reading and writing the few things the relay needs in an RTCP compound packet (RFC 3550 §6): the
 * SSRCs it names, so a bundled browser's RTCP goes to the SIP socket of the stream it is about, and
 * the key-frame requests of RTCP feedback (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1), which a SIP
 * side without {@code a=rtcp-fb} for them takes as SIP INFO instead. Works in place on the loop's
 * buffer and allocates nothing; a malformed compound stops the walk where it breaks.
 */
final class RtcpPackets {
  static final int SR = 200;
  static final int RR = 201;
  static final int SDES = 202;
  static final int BYE = 203;

  /** Transport layer feedback (RFC 4585 §6.1): generic NACK is FMT 1. */
  static final int RTPFB = 205;

  /** Payload-specific feedback (RFC 4585 §6.1): PLI is FMT 1, FIR (RFC 5104) FMT 4. */
  static final int PSFB = 206;

  static final int FMT_PLI = 1;
  static final int FMT_FIR = 4;

  /** A PLI is a header, the sender's SSRC and the media source's SSRC. */
  static final int PLI_LENGTH = 12;

  private RtcpPackets() {}

  /**
   * Whether {@code buf[0..length)} names {@code sender} as the sending source of one of its packets
   * (SR, RR, SDES chunk, BYE, feedback) or {@code target} as a source it reports on (report block)
   * or asks something of (feedback); an SSRC given as -1 (not known yet) matches nothing.
   */
  static boolean names(byte[] buf, int length, long sender, long target) {
    int at = 0;
    while (at + 8 <= length) {
      if ((buf[at] & 0xC0) != 0x80) {
        return false;
      }
      int count = buf[at] & 0x1F;
      int type = buf[at + 1] & 0xFF;
      int next = at + 4 + 4 * BigEndian.readShort(buf, at + 2);
      int end = Math.min(next, length);
      if (unsigned(buf, at + 4) == sender) {
        return true;
      }
      int blocks = type == SR ? at + 28 : type == RR ? at + 8 : -1;
      if (blocks > 0) {
        for (int i = 0; i < count && blocks + 24 * (i + 1) <= end; i++) {
          if (unsigned(buf, blocks + 24 * i) == target) {
            return true;
          }
        }
      } else if ((type == RTPFB || type == PSFB) && at + 12 <= end) {
        // RFC 5104 §4.3.1: a FIR's media source field is 0, its FCI entries name the sources
        int about = type == PSFB && count == FMT_FIR && at + 16 <= end ? at + 12 : at + 8;
        if (unsigned(buf, about) == target) {
          return true;
        }
      }
      at = next;
    }
    return false;
  }

  /** The SSRC at {@code at}, unsigned. */
  static long unsigned(byte[] b, int at) {
    return BigEndian.readInt(b, at) & 0xFFFFFFFFL;
  }

  /** Whether the compound holds a PLI or a FIR. */
  static boolean hasKeyframeRequest(byte[] buf, int length) {
    int at = 0;
    while (at + 8 <= length) {
      if ((buf[at] & 0xC0) != 0x80) {
        return false;
      }
      if (isKeyframeRequest(buf, at)) {
        return true;
      }
      at += 4 + 4 * BigEndian.readShort(buf, at + 2);
    }
    return false;
  }

  /**
   * Takes every PLI and FIR out of the compound in place (the rest moves up); returns the new
   * length, 0 when nothing else was in it. A malformed tail is kept as it was.
   */
  static int removeKeyframeRequests(byte[] buf, int length) {
    int at = 0;
    int kept = 0;
    while (at + 8 <= length) {
      if ((buf[at] & 0xC0) != 0x80) {
        break;
      }
      int next = Math.min(at + 4 + 4 * BigEndian.readShort(buf, at + 2), length);
      if (!isKeyframeRequest(buf, at)) {
        if (kept != at) {
          System.arraycopy(buf, at, buf, kept, next - at);
        }
        kept += next - at;
      }
      at = next;
    }
    if (at < length) {
      System.arraycopy(buf, at, buf, kept, length - at);
      kept += length - at;
    }
    return kept;
  }

  private static boolean isKeyframeRequest(byte[] buf, int at) {
    int fmt = buf[at] & 0x1F;
    return (buf[at + 1] & 0xFF) == PSFB && (fmt == FMT_PLI || fmt == FMT_FIR);
  }

  /**
   * Writes a Picture Loss Indication (RFC 4585 §6.3.1) from {@code sender} about {@code media} at
   * the start of {@code buf}; returns its length.
   */
  static int writePli(byte[] buf, int sender, int media) {
    buf[0] = (byte) (0x80 | FMT_PLI);
    buf[1] = (byte) PSFB;
    buf[2] = 0;
    buf[3] = 2; // length in 32-bit words minus one
    BigEndian.writeInt(buf, 4, sender);
    BigEndian.writeInt(buf, 8, media);
    return PLI_LENGTH;
  }
}

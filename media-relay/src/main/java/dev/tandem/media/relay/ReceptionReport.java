package dev.tandem.media.relay;

import java.util.Optional;

/**
 * What one side says about the media it receives: the first report block of an RTCP sender or
 * receiver report (RFC 3550 §6.4.1) in a compound packet.
 *
 * @param fractionLost packets lost since the previous report, as a fraction of 256
 * @param cumulativeLost packets lost since the stream began (negative with duplicates)
 * @param jitter interarrival jitter in RTP timestamp units
 */
record ReceptionReport(int fractionLost, int cumulativeLost, long jitter) {
  private static final int SR = 200;
  private static final int RR = 201;

  /** The first report block of the first SR or RR that has one; empty for anything else. */
  static Optional<ReceptionReport> first(byte[] buf, int offset, int length) {
    int at = offset;
    int end = offset + length;
    while (at + 4 <= end) {
      if ((buf[at] & 0xC0) != 0x80) {
        return Optional.empty();
      }
      int count = buf[at] & 0x1F;
      int type = buf[at + 1] & 0xFF;
      int words = ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
      int next = at + 4 + 4 * words;
      int block = type == SR ? at + 28 : type == RR ? at + 8 : -1;
      if (block > 0 && count > 0 && block + 24 <= Math.min(next, end)) {
        int lost =
            ((buf[block + 5] & 0xFF) << 16)
                | ((buf[block + 6] & 0xFF) << 8)
                | (buf[block + 7] & 0xFF);
        return Optional.of(
            new ReceptionReport(
                buf[block + 4] & 0xFF, (lost << 8) >> 8, readUnsigned(buf, block + 12)));
      }
      at = next;
    }
    return Optional.empty();
  }

  private static long readUnsigned(byte[] b, int at) {
    return ((long) (b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }
}

package dev.tandem.media.relay;

import dev.tandem.media.BigEndian;
import java.util.Arrays;

/** RTCP packets the relay tests send (RFC 3550 §6.4, RFC 4585 §6, RFC 5104 §4.3.1). */
final class TestRtcp {
  private TestRtcp() {}

  static byte[] receiverReport(long sender, long about) {
    byte[] p = new byte[32];
    p[0] = (byte) 0x81;
    p[1] = (byte) RtcpPackets.RR;
    p[3] = 7;
    BigEndian.writeInt(p, 4, (int) sender);
    BigEndian.writeInt(p, 8, (int) about);
    return p;
  }

  static byte[] senderReport(long sender) {
    byte[] p = new byte[28];
    p[0] = (byte) 0x80;
    p[1] = (byte) RtcpPackets.SR;
    p[3] = 6;
    BigEndian.writeInt(p, 4, (int) sender);
    return p;
  }

  static byte[] pli(long sender, long about) {
    byte[] p = new byte[RtcpPackets.PLI_LENGTH];
    RtcpPackets.writePli(p, (int) sender, (int) about);
    return p;
  }

  /** Media source 0, the FCI names the source (RFC 5104 §4.3.1). */
  static byte[] fir(long sender, long about) {
    byte[] p = new byte[20];
    p[0] = (byte) (0x80 | RtcpPackets.FMT_FIR);
    p[1] = (byte) RtcpPackets.PSFB;
    p[3] = 4;
    BigEndian.writeInt(p, 4, (int) sender);
    BigEndian.writeInt(p, 12, (int) about);
    p[16] = 1; // sequence number
    return p;
  }

  /** A generic NACK (RFC 4585 §6.2.1) of one packet. */
  static byte[] nack(long sender, long about) {
    byte[] p = new byte[16];
    p[0] = (byte) 0x81;
    p[1] = (byte) RtcpPackets.RTPFB;
    p[3] = 3;
    BigEndian.writeInt(p, 4, (int) sender);
    BigEndian.writeInt(p, 8, (int) about);
    p[13] = 7; // packet id
    return p;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}

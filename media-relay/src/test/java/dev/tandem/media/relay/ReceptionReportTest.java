package dev.tandem.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The first report block of an RTCP compound packet (RFC 3550 §6.4.1). */
class ReceptionReportTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** RR, one block: fraction 0x40, cumulative lost 5, jitter 0x123. */
  private static final String RR =
      "81c90007 00000001" + "00000002 40000005 00010010 00000123 00000000 00000000";

  @Test
  void readsTheBlockOfAReceiverReport() {
    byte[] rr = hex(RR);
    assertThat(ReceptionReport.first(rr, 0, rr.length))
        .contains(new ReceptionReport(0x40, 5, 0x123));
  }

  @Test
  void readsASenderReportsBlockAfterItsSenderInfoAndSkipsAnSdesBeforeIt() {
    String sdes = "81ca0003 00000001 01036162 63000000";
    String sr =
        "81c8000c 00000001"
            + "00000000 00000000 00000000 00000000 00000000"
            + "00000002 08fffffe 00010010 00000050 00000000 00000000";
    byte[] compound = hex(sdes + sr);
    assertThat(ReceptionReport.first(compound, 0, compound.length))
        .as("cumulative lost is a signed 24-bit field")
        .contains(new ReceptionReport(8, -2, 0x50));
  }

  @Test
  void noBlockTruncatedOrNotRtcpIsEmpty() {
    byte[] empty = hex("80c90001 00000001");
    assertThat(ReceptionReport.first(empty, 0, empty.length)).isEmpty();
    byte[] rr = hex(RR);
    assertThat(ReceptionReport.first(rr, 0, rr.length - 4)).as("block cut short").isEmpty();
    byte[] rtp = hex("80000001 00000000 00000001 ffffffff");
    assertThat(ReceptionReport.first(rtp, 0, rtp.length)).isEmpty();
  }
}

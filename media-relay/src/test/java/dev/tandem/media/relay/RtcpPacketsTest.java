package dev.tandem.media.relay;

import static dev.tandem.media.relay.TestRtcp.concat;
import static dev.tandem.media.relay.TestRtcp.fir;
import static dev.tandem.media.relay.TestRtcp.nack;
import static dev.tandem.media.relay.TestRtcp.receiverReport;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SSRCs a compound names, and key-frame requests found and taken out in place. */
class RtcpPacketsTest {
  private static final long BROWSER = 0xA0000001L;
  private static final long PHONE = 0xB0000002L;

  @Test
  void aReceiverReportNamesItsSenderAndTheSourcesItReportsOn() {
    byte[] rr = receiverReport(BROWSER, PHONE);
    assertThat(RtcpPackets.names(rr, rr.length, BROWSER, -1)).as("sender").isTrue();
    assertThat(RtcpPackets.names(rr, rr.length, -1, PHONE)).as("report block").isTrue();
    assertThat(RtcpPackets.names(rr, rr.length, PHONE, BROWSER)).as("roles matter").isFalse();
    assertThat(RtcpPackets.names(rr, rr.length, -1, -1))
        .as("unknown SSRCs match nothing")
        .isFalse();
  }

  @Test
  void feedbackNamesItsMediaSourceAndAFirItsFciEntry() {
    byte[] pli = new byte[RtcpPackets.PLI_LENGTH];
    RtcpPackets.writePli(pli, (int) BROWSER, (int) PHONE);
    assertThat(RtcpPackets.names(pli, pli.length, -1, PHONE)).isTrue();
    byte[] fir = fir(BROWSER, PHONE);
    assertThat(RtcpPackets.names(fir, fir.length, -1, PHONE)).as("RFC 5104 §4.3.1").isTrue();
    assertThat(RtcpPackets.names(fir, fir.length, -1, 0)).as("not its zero media field").isFalse();
  }

  @Test
  void keyframeRequestsAreTakenOutOfACompoundAndTheRestMovesUp() {
    byte[] rr = receiverReport(BROWSER, PHONE);
    byte[] pli = new byte[RtcpPackets.PLI_LENGTH];
    RtcpPackets.writePli(pli, (int) BROWSER, (int) PHONE);
    byte[] nack = nack(BROWSER, PHONE);
    byte[] compound = concat(concat(pli, rr), concat(fir(BROWSER, PHONE), nack));
    assertThat(RtcpPackets.hasKeyframeRequest(compound, compound.length)).isTrue();
    int n = RtcpPackets.removeKeyframeRequests(compound, compound.length);
    assertThat(Arrays.copyOf(compound, n)).isEqualTo(concat(rr, nack));
    assertThat(RtcpPackets.hasKeyframeRequest(compound, n)).isFalse();
    assertThat(RtcpPackets.hasKeyframeRequest(nack, nack.length)).as("NACK is not one").isFalse();

    byte[] only = pli.clone();
    assertThat(RtcpPackets.removeKeyframeRequests(only, only.length)).isZero();
  }

  @Test
  void aMalformedCompoundStopsTheWalkWithoutThrowing() {
    byte[] rr = receiverReport(BROWSER, PHONE);
    byte[] garbage = concat(rr, new byte[] {0x12, 0x34, 0x56});
    assertThat(RtcpPackets.removeKeyframeRequests(garbage, garbage.length))
        .as("the tail kept as it was")
        .isEqualTo(garbage.length);
    byte[] truncated = Arrays.copyOf(rr, 20); // its length field says 32
    assertThat(RtcpPackets.names(truncated, truncated.length, -1, PHONE)).isFalse();
    assertThat(RtcpPackets.hasKeyframeRequest(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, 8)).isFalse();
  }

  @Test
  void randomBytesNeverThrowAndNeverGrow() {
    java.util.Random random = new java.util.Random(19);
    for (int i = 0; i < 20_000; i++) {
      byte[] buf = new byte[random.nextInt(80)];
      random.nextBytes(buf);
      if (buf.length > 0 && random.nextBoolean()) {
        buf[0] = (byte) (0x80 | (buf[0] & 0x3F)); // version 2, so the walk goes further
      }
      RtcpPackets.names(buf, buf.length, random.nextInt() & 0xFFFFFFFFL, -1);
      RtcpPackets.hasKeyframeRequest(buf, buf.length);
      assertThat(RtcpPackets.removeKeyframeRequests(buf, buf.length)).isBetween(0, buf.length);
    }
  }
}

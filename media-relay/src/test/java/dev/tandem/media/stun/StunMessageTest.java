package dev.tandem.media.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StunMessageTest {
  private static final byte[] KEY = Rfc5769.PASSWORD.getBytes(StandardCharsets.UTF_8);

  private static StunMessage parse(byte[] packet) throws StunException {
    return StunMessage.parse(packet, 0, packet.length);
  }

  @Test
  void readsTheRfc5769RequestAndChecksItsIntegrityAndFingerprint() throws Exception {
    StunMessage request = parse(Rfc5769.REQUEST);
    assertThat(request.type()).isEqualTo(Stun.BINDING_REQUEST);
    assertThat(request.username()).contains("evtj:h6vY");
    assertThat(request.attribute(Stun.SOFTWARE).orElseThrow().value())
        .isEqualTo("STUN test client".getBytes(StandardCharsets.US_ASCII));
    assertThat(request.has(Stun.ICE_CONTROLLED)).isTrue();
    assertThat(request.integrityMatches(KEY)).isTrue();
    assertThat(request.integrityMatches("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(request.fingerprintMatches()).isTrue();
  }

  @Test
  void readsTheRfc5769ResponsesXorMappedAddresses() throws Exception {
    StunMessage v4 = parse(Rfc5769.IPV4_RESPONSE);
    assertThat(v4.xorMappedAddress()).contains(new InetSocketAddress("192.0.2.1", 32853));
    assertThat(v4.integrityMatches(KEY)).isTrue();
    assertThat(v4.fingerprintMatches()).isTrue();
    StunMessage v6 = parse(Rfc5769.IPV6_RESPONSE);
    assertThat(v6.xorMappedAddress())
        .contains(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853));
    assertThat(v6.integrityMatches(KEY)).isTrue();
    assertThat(v6.fingerprintMatches()).isTrue();
  }

  @Test
  void writesResponsesThatMatchTheRfcVectorsAttributeForAttribute() throws Exception {
    // §2.2 and §2.3 rebuilt. The RFC pads its 11-byte SOFTWARE with a space where this writer pads
    // with zero, so MESSAGE-INTEGRITY and FINGERPRINT differ in value; they are checked for
    // validity, the rest byte for byte.
    for (byte[] vector : new byte[][] {Rfc5769.IPV4_RESPONSE, Rfc5769.IPV6_RESPONSE}) {
      StunMessage rfc = parse(vector);
      byte[] ours =
          new StunWriter(Stun.BINDING_SUCCESS, rfc.transactionId())
              .attribute(Stun.SOFTWARE, rfc.attribute(Stun.SOFTWARE).orElseThrow().value())
              .xorMappedAddress(rfc.xorMappedAddress().orElseThrow())
              .messageIntegrity(KEY)
              .fingerprintAndBuild();
      assertThat(ours.length).isEqualTo(vector.length);
      int pad = Stun.HEADER_LENGTH + 4 + 11; // the one padding byte of SOFTWARE
      int mi = rfc.attribute(Stun.MESSAGE_INTEGRITY).orElseThrow().offset();
      assertThat(Arrays.copyOfRange(ours, 0, pad))
          .as("header and SOFTWARE")
          .isEqualTo(Arrays.copyOfRange(vector, 0, pad));
      assertThat(Arrays.copyOfRange(ours, pad + 1, mi))
          .as("XOR-MAPPED-ADDRESS")
          .isEqualTo(Arrays.copyOfRange(vector, pad + 1, mi));
      StunMessage reread = parse(ours);
      assertThat(reread.integrityMatches(KEY)).isTrue();
      assertThat(reread.fingerprintMatches()).isTrue();
    }
  }

  @Test
  void garbageIsATypedErrorNeverAnIndexError() {
    byte[] truncated = Arrays.copyOf(Rfc5769.REQUEST, 40);
    assertThatThrownBy(() -> parse(truncated)).isInstanceOf(StunException.class);
    byte[] overrun = Rfc5769.REQUEST.clone();
    overrun[22] = 0x7f; // SOFTWARE claims more bytes than there are
    assertThatThrownBy(() -> parse(overrun))
        .isInstanceOf(StunException.class)
        .hasMessageContaining("overruns");
    byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assertThat(Stun.isStun(rtp, 0, rtp.length)).isFalse();
    assertThatThrownBy(() -> parse(rtp)).isInstanceOf(StunException.class);
    for (int n = 0; n < Rfc5769.REQUEST.length; n++) {
      byte[] cut = Arrays.copyOf(Rfc5769.REQUEST, n);
      try {
        parse(cut);
      } catch (StunException expected) {
        // the only failure allowed
      }
    }
  }
}

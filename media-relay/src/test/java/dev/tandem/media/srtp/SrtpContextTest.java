package dev.tandem.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SRTP/SRTCP against RFC 3711 Appendix B (AES-CM keystream, key derivation) and the packet vectors
 * libsrtp validates itself with (the same RFC master key, SSRC 0xcafebabe, seq 0x1234).
 */
class SrtpContextTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
  private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
  private static final byte[] RTP =
      hex("800f1234decafbadcafebabe" + "abababababababababababababababab");
  private static final byte[] SRTP =
      hex("800f1234decafbadcafebabe" + "4e55dc4ce79978d88ca4d215949d2402" + "b78d6acc99ea179b8dbb");
  private static final byte[] RTCP = hex("81c8000bcafebabe" + "abababababababababababababababab");
  private static final byte[] SRTCP =
      hex(
          "81c8000bcafebabe"
              + "7128035be487b9bdbef89041f977a5a8"
              + "80000001"
              + "993e08cd54d6c1230798");

  private static SrtpContext context() {
    return new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
  }

  @Test
  void derivesTheSessionKeysOfRfc3711AppendixB3() {
    assertThat(
            SrtpKeyDerivation.derive(
                MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.SRTP_ENCRYPTION, 16))
        .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
    assertThat(SrtpKeyDerivation.derive(MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.SRTP_SALT, 14))
        .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
    assertThat(
            SrtpKeyDerivation.derive(
                MASTER_KEY, MASTER_SALT, SrtpKeyDerivation.SRTP_AUTHENTICATION, 20))
        .isEqualTo(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
  }

  @Test
  void producesTheKeystreamOfRfc3711AppendixB2() {
    AesCounterMode aes = new AesCounterMode(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
    byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
    byte[] zeros = new byte[16 * 0xFF02];
    aes.apply(iv, zeros, 0, zeros.length);
    assertThat(Arrays.copyOfRange(zeros, 0, 48))
        .isEqualTo(
            hex(
                "E03EAD0935C95E80E166B16DD92B4EB4"
                    + "D23513162B02D0F72A43A2FE4A5F97AB"
                    + "41E95B3BB0A2E8DD477901E4FCA894C0"));
    assertThat(Arrays.copyOfRange(zeros, 16 * 0xFF01, 16 * 0xFF02))
        .isEqualTo(hex("6A2CC3787889374FBEB4C81B17BA6C44"));
  }

  @Test
  void protectsAndUnprotectsTheLibsrtpPacketVectors() {
    byte[] buf = Arrays.copyOf(RTP, 64);
    int n = context().protect(buf, 0, RTP.length);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(SRTP);

    byte[] in = Arrays.copyOf(SRTP, SRTP.length);
    int m = context().unprotect(in, 0, in.length);
    assertThat(Arrays.copyOf(in, m)).isEqualTo(RTP);

    byte[] rtcp = Arrays.copyOf(SRTCP, SRTCP.length);
    int r = context().unprotectRtcp(rtcp, 0, rtcp.length);
    assertThat(Arrays.copyOf(rtcp, r)).isEqualTo(RTCP);
  }

  private static byte[] rtp(int seq, int ssrc, int payload) {
    byte[] p = new byte[12 + payload + 14];
    p[0] = (byte) 0x80;
    p[1] = 0;
    p[2] = (byte) (seq >>> 8);
    p[3] = (byte) seq;
    p[8] = (byte) (ssrc >>> 24);
    p[9] = (byte) (ssrc >>> 16);
    p[10] = (byte) (ssrc >>> 8);
    p[11] = (byte) ssrc;
    for (int i = 0; i < payload; i++) {
      p[12 + i] = (byte) (seq + i);
    }
    return p;
  }

  @Test
  void roundTripsAcrossTheSequenceNumberRolloverAndOutOfOrder() {
    SrtpContext sender = context();
    SrtpContext receiver = context();
    int[] order = new int[40];
    for (int i = 0; i < order.length; i++) {
      order[i] = (65_520 + i) & 0xFFFF;
    }
    // swap neighbours: reordering inside the window is fine
    int t = order[20];
    order[20] = order[21];
    order[21] = t;
    byte[][] sent = new byte[65536][];
    for (int i = 0; i < order.length; i++) {
      int seq = (65_520 + i) & 0xFFFF;
      byte[] p = rtp(seq, 0x11223344, 160);
      int n = sender.protect(p, 0, p.length - 14);
      assertThat(n).isEqualTo(p.length - 14 + 10);
      sent[seq] = Arrays.copyOf(p, n);
    }
    for (int seq : order) {
      byte[] p = sent[seq].clone();
      int n = receiver.unprotect(p, 0, p.length);
      assertThat(n).as("seq %d", seq).isEqualTo(12 + 160);
      assertThat(Arrays.copyOf(p, n)).isEqualTo(Arrays.copyOf(rtp(seq, 0x11223344, 160), n));
    }
  }

  @Test
  void refusesTamperedReplayedAndForeignPackets() {
    SrtpContext sender = context();
    SrtpContext receiver = context();
    byte[] p = rtp(100, 7, 20);
    int n = sender.protect(p, 0, p.length - 14);
    byte[] once = Arrays.copyOf(p, n);

    byte[] tampered = once.clone();
    tampered[15] ^= 1;
    assertThat(receiver.unprotect(tampered, 0, tampered.length)).isEqualTo(-1);
    assertThat(receiver.unprotect(once.clone(), 0, n)).isEqualTo(12 + 20);
    assertThat(receiver.unprotect(once.clone(), 0, n)).as("replay").isEqualTo(-1);

    SrtpContext otherKey =
        new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, new byte[16], new byte[14]);
    assertThat(otherKey.unprotect(once.clone(), 0, n)).isEqualTo(-1);

    SrtpContext rtcpSender = context();
    SrtpContext rtcpReceiver = context();
    byte[] rtcp = Arrays.copyOf(RTCP, 64);
    int r = rtcpSender.protectRtcp(rtcp, 0, RTCP.length);
    byte[] srtcp = Arrays.copyOf(rtcp, r);
    assertThat(rtcpReceiver.unprotectRtcp(srtcp.clone(), 0, r)).isEqualTo(RTCP.length);
    assertThat(rtcpReceiver.unprotectRtcp(srtcp.clone(), 0, r)).as("SRTCP replay").isEqualTo(-1);
  }

  @Test
  void randomAndTruncatedDatagramsAreRefusedNeverThrown() {
    Random random = new Random(42);
    SrtpContext receiver = context();
    for (int i = 0; i < 5000; i++) {
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      if (junk.length > 0 && random.nextBoolean()) {
        junk[0] = (byte) 0x90; // looks like RTP with an extension
      }
      assertThat(receiver.unprotect(junk, 0, junk.length)).isEqualTo(-1);
      assertThat(receiver.unprotectRtcp(junk, 0, junk.length)).isEqualTo(-1);
    }
    for (int cut = 0; cut < SRTP.length; cut++) {
      assertThat(context().unprotect(Arrays.copyOf(SRTP, cut), 0, cut)).isEqualTo(-1);
    }
  }

  /** RFC 3711 B.3's master key and salt as an SDES inline key (RFC 4568 §6.1: key || salt). */
  private static final String B3_INLINE =
      "inline:"
          + java.util.Base64.getEncoder()
              .encodeToString(
                  hex("E1F97A0D3E018BE0D64FA32C06DE4139" + "0EC675AD498AFEEBB6960B3AABE6"));

  @Test
  void anSdesInlineKeyDerivesTheSessionKeysOfRfc3711AppendixB3AndProtectsTheLibsrtpVectors() {
    dev.tandem.sdp.SdesKey key =
        dev.tandem.sdp.SdesKey.of(
            dev.tandem.sdp.Crypto.parse("1 AES_CM_128_HMAC_SHA1_80 " + B3_INLINE));
    assertThat(
            SrtpKeyDerivation.derive(
                key.masterKey(), key.masterSalt(), SrtpKeyDerivation.SRTP_ENCRYPTION, 16))
        .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
    assertThat(
            SrtpKeyDerivation.derive(
                key.masterKey(), key.masterSalt(), SrtpKeyDerivation.SRTP_SALT, 14))
        .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
    SrtpContext sender = SrtpProfile.context(key);
    assertThat(sender.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
    byte[] buf = Arrays.copyOf(RTP, 64);
    int n = sender.protect(buf, 0, RTP.length);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(SRTP);
    // the SRTCP vector has index 1: unprotected by a receiver with the same key
    buf = Arrays.copyOf(SRTCP, 64);
    n = SrtpProfile.context(key).unprotectRtcp(buf, 0, SRTCP.length);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(RTCP);
  }

  @Test
  void theSdesSuitesMapToTheirTransformsAndRoundTrip() {
    for (dev.tandem.sdp.SdesSuite suite : dev.tandem.sdp.SdesSuite.values()) {
      dev.tandem.sdp.SdesKey key =
          dev.tandem.sdp.SdesKey.generate(1, suite, new java.security.SecureRandom());
      // as the peer reads it from our SDP
      dev.tandem.sdp.SdesKey read = dev.tandem.sdp.SdesKey.of(key.toCrypto());
      SrtpContext sender = SrtpProfile.context(key);
      SrtpContext receiver = SrtpProfile.context(read);
      byte[] buf = Arrays.copyOf(RTP, 64);
      int n = sender.protect(buf, 0, RTP.length);
      assertThat(n - RTP.length).as(suite.name()).isEqualTo(SrtpProfile.of(suite).rtpTagLength);
      int m = receiver.unprotect(buf, 0, n);
      assertThat(Arrays.copyOf(buf, m)).as(suite.name()).isEqualTo(RTP);
    }
    assertThat(SrtpProfile.of(dev.tandem.sdp.SdesSuite.AES_CM_128_HMAC_SHA1_32).rtpTagLength)
        .isEqualTo(4);
  }
}

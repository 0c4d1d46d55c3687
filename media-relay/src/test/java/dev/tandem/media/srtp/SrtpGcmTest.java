package dev.tandem.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * AEAD_AES_128_GCM against the RFC 7714 §16 (RTP) and §17 (RTCP) vectors, which give the session
 * key and salt, plus the key derivation with a 12-byte salt as libsrtp does it.
 */
class SrtpGcmTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
  private static final byte[] SALT = hex("517569642070726f2071756f");
  private static final byte[] RTP =
      hex(
          "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973"
              + "20646976 69736120 696e2070 61727465 73207472 6573");
  private static final byte[] SRTP =
      hex(
          "8040f17b 8041f8d3 5501a0b2"
              + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b"
              + "36de3adf 8833"
              + "899d7f27 beb16a91 52cf765e e4390cce");
  private static final byte[] RTCP =
      hex(
          "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61"
              + "deadbeef deadbeef deadbeef deadbeef deadbeef");
  private static final byte[] SRTCP =
      hex(
          "81c8000d 4d617273"
              + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda"
              + "4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade"
              + "800005d4");

  private static AesGcmTransform vectorKeys() {
    return new AesGcmTransform(KEY, SALT, KEY, SALT);
  }

  private static byte[] room(byte[] packet) {
    return Arrays.copyOf(packet, packet.length + SrtpContext.maxOverhead());
  }

  @Test
  void protectsTheRtpPacketOfRfc7714Section16() {
    SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, vectorKeys());
    byte[] buf = room(RTP);
    int n = sender.protect(buf, 0, RTP.length);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(SRTP);
  }

  @Test
  void unprotectsItAndRefusesATamperedOrReplayedCopy() {
    SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, vectorKeys());
    byte[] tampered = SRTP.clone();
    tampered[20] ^= 1;
    assertThat(receiver.unprotect(tampered, 0, tampered.length)).isEqualTo(-1);
    // (its payload bytes are then undefined: JDK 25's AES-GCM leaves its trial decryption in the
    // buffer, JDK 17's does not; the relay drops such a packet either way)

    byte[] buf = SRTP.clone();
    int n = receiver.unprotect(buf, 0, buf.length);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(RTP);
    byte[] again = SRTP.clone();
    assertThat(receiver.unprotect(again, 0, again.length)).as("replay").isEqualTo(-1);
  }

  @Test
  void protectsTheRtcpPacketOfRfc7714Section17WithTheIndexAfterTheTag() {
    byte[] buf = room(RTCP);
    int n = vectorKeys().protectRtcp(buf, 0, RTCP.length, 0x4d617273, 0x5d4);
    assertThat(Arrays.copyOf(buf, n)).isEqualTo(SRTCP);

    SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, vectorKeys());
    byte[] in = SRTCP.clone();
    int m = receiver.unprotectRtcp(in, 0, in.length);
    assertThat(Arrays.copyOf(in, m)).isEqualTo(RTCP);
    assertThat(receiver.unprotectRtcp(SRTCP.clone(), 0, SRTCP.length)).as("replay").isEqualTo(-1);
  }

  @Test
  void derivesSessionSaltsFromATwelveByteMasterSaltAsLibsrtpDoes() {
    byte[] key = hex("000102030405060708090a0b0c0d0e0f");
    byte[] salt = hex("404142434445464748494a4b");
    assertThat(SrtpKeyDerivation.derive(key, salt, SrtpKeyDerivation.SRTP_SALT, 12))
        .isEqualTo(hex("1fcd5d561e66dc49ec1c3ccb"));
  }

  @Test
  void roundTripsRtpAndRtcpBetweenTwoContextsFromOneMasterKey() {
    byte[] key = hex("0f0e0d0c0b0a09080706050403020100");
    byte[] salt = hex("a0a1a2a3a4a5a6a7a8a9aaab");
    SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
    SrtpContext receiver = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
    for (int seq = 65530; seq < 65546; seq++) { // across a rollover
      byte[] rtp = RTP.clone();
      rtp[2] = (byte) (seq >>> 8);
      rtp[3] = (byte) seq;
      byte[] buf = room(rtp);
      int n = sender.protect(buf, 0, rtp.length);
      assertThat(n).isEqualTo(rtp.length + 16);
      int m = receiver.unprotect(buf, 0, n);
      assertThat(Arrays.copyOf(buf, m)).isEqualTo(rtp);
    }
    byte[] buf = room(RTCP);
    int n = sender.protectRtcp(buf, 0, RTCP.length);
    assertThat(n).isEqualTo(RTCP.length + 16 + 4);
    int m = receiver.unprotectRtcp(buf, 0, n);
    assertThat(Arrays.copyOf(buf, m)).isEqualTo(RTCP);
  }
}

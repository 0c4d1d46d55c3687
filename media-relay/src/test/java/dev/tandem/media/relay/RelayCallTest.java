package dev.tandem.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One relay endpoint against bad input on real loopback sockets: garbage is dropped and counted,
 * the endpoint keeps working, and the SIP side is latched to its first source.
 */
class RelayCallTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final RelayLoop loop;
  private final RelayCall relay;
  private final DatagramSocket browser;
  private final DatagramSocket phone;
  private final DatagramSocket intruder;

  RelayCallTest() throws Exception {
    loop = new RelayLoop("test-relay");
    relay =
        loop.call(
                () ->
                    new RelayCall(
                        "t",
                        loop,
                        new RelaySockets(LOOPBACK, 0),
                        21600,
                        21602,
                        "relayUfrag",
                        "relayPasswordForIceLite1",
                        java.time.Instant::now,
                        new RelayFailures(),
                        () -> {},
                        RelaySettings.DEFAULT_KEYFRAME_INTERVAL))
            .get(3, java.util.concurrent.TimeUnit.SECONDS);
    browser = socket();
    phone = socket();
    intruder = socket();
  }

  private static DatagramSocket socket() throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    s.setSoTimeout(3000);
    return s;
  }

  @AfterEach
  void close() throws Exception {
    loop.submit(relay::close).get(3, java.util.concurrent.TimeUnit.SECONDS);
    loop.close();
    browser.close();
    phone.close();
    intruder.close();
  }

  private static void send(DatagramSocket from, byte[] data, int port) throws Exception {
    from.send(new DatagramPacket(data, data.length, LOOPBACK, port));
  }

  private static byte[] bindingRequest(String username, String password) {
    return new StunWriter(Stun.BINDING_REQUEST, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9})
        .attribute(Stun.USERNAME, username.getBytes(StandardCharsets.UTF_8))
        .messageIntegrity(password.getBytes(StandardCharsets.UTF_8))
        .fingerprintAndBuild();
  }

  @Test
  void garbageOnEverySocketIsDroppedAndTheEndpointStillAnswersIce() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 300; i++) {
      byte[] junk = new byte[1 + random.nextInt(200)];
      random.nextBytes(junk);
      send(intruder, junk, 21600);
      send(intruder, junk, 21602);
      send(intruder, junk, 21603);
    }
    // DTLS and SRTP from an address ICE never verified
    send(intruder, new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0}, 21600);
    send(intruder, new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5, 5}, 21600);

    // like a browser, retransmit the check until it is answered: the burst of garbage may have
    // filled the socket's receive buffer, and the kernel drops what does not fit
    byte[] buf = new byte[1500];
    DatagramPacket answer = new DatagramPacket(buf, buf.length);
    browser.setSoTimeout(500);
    for (int attempt = 0; ; attempt++) {
      send(browser, bindingRequest("relayUfrag:browser", "relayPasswordForIceLite1"), 21600);
      try {
        browser.receive(answer);
        break;
      } catch (java.net.SocketTimeoutException e) {
        assertThat(attempt).as("checks answered within 5 s").isLessThan(10);
      }
    }
    StunMessage response = StunMessage.parse(buf, 0, answer.getLength());
    assertThat(response.type()).isEqualTo(Stun.BINDING_SUCCESS);
    assertThat(response.xorMappedAddress())
        .contains((InetSocketAddress) browser.getLocalSocketAddress());

    assertThat(relay.dropped()).as("garbage counted").isGreaterThan(0);
    assertThat(relay.packetsFromBrowser()).isZero();
  }

  @Test
  void theSipSideIsLatchedToItsFirstSourceThenStrict() throws Exception {
    byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
    send(phone, rtp, 21602);
    send(phone, rtp, 21602);
    send(intruder, rtp, 21602); // RTP bleed from another source
    send(phone, rtp, 21602); // one reader, in arrival order: once this counts, the bleed was seen
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(3))
        .until(() -> relay.packetsFromSip() >= 3);
    assertThat(relay.packetsFromSip()).as("only the latched phone counts").isEqualTo(3);
  }

  /** A fresh random key. */
  private static dev.tandem.sdp.SdesKey key() {
    return dev.tandem.sdp.SdesKey.generate(
        1, dev.tandem.sdp.SdesSuite.AES_CM_128_HMAC_SHA1_80, new java.security.SecureRandom());
  }

  private static byte[] srtp(dev.tandem.media.srtp.SrtpContext sender, int seq) {
    byte[] buf = new byte[64];
    byte[] rtp = {
      (byte) 0x80, 0, (byte) (seq >>> 8), (byte) seq, 0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3, 4
    };
    System.arraycopy(rtp, 0, buf, 0, rtp.length);
    int n = sender.protect(buf, 0, rtp.length);
    return java.util.Arrays.copyOf(buf, n);
  }

  private void sdes(dev.tandem.sdp.SdesKey ours, dev.tandem.sdp.SdesKey theirs) throws Exception {
    loop.submit(() -> relay.sdes(java.util.Optional.of(ours), java.util.Optional.of(theirs)))
        .get(3, java.util.concurrent.TimeUnit.SECONDS);
  }

  private void awaitSeen(long fromSip, long authFailures) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(3))
        .until(
            () ->
                relay.packetsFromSip() == fromSip
                    && relay.stats().sipAuthFailures() == authFailures);
  }

  @Test
  void sdesPacketsFailingAuthenticationAreDroppedCountedAndNeverLatch() throws Exception {
    dev.tandem.sdp.SdesKey theirs = key();
    sdes(key(), theirs);
    dev.tandem.media.srtp.SrtpContext phoneSends =
        dev.tandem.media.srtp.SrtpProfile.context(theirs);
    byte[] forged = srtp(dev.tandem.media.srtp.SrtpProfile.context(key()), 1);
    send(intruder, forged, 21602); // a wrong key must not take the latch
    send(phone, srtp(phoneSends, 1), 21602);
    byte[] tampered = srtp(phoneSends, 2);
    tampered[13] ^= 1;
    send(phone, tampered, 21602);
    send(phone, srtp(phoneSends, 3), 21602);
    awaitSeen(2, 2);
    assertThat(relay.sipSrtp()).isTrue();
    assertThat(relay.stats().toString()).contains("2 SIP-side SRTP authentication failures");
  }

  @Test
  void aRekeyKeepsTheOldKeyUntilTheNewOneAuthenticatesAPacket() throws Exception {
    dev.tandem.sdp.SdesKey ours = key();
    dev.tandem.sdp.SdesKey before = key();
    sdes(ours, before);
    dev.tandem.media.srtp.SrtpContext old = dev.tandem.media.srtp.SrtpProfile.context(before);
    send(phone, srtp(old, 1), 21602);
    awaitSeen(1, 0);
    dev.tandem.sdp.SdesKey after = key();
    sdes(ours, after); // a re-INVITE with a new key
    dev.tandem.media.srtp.SrtpContext fresh = dev.tandem.media.srtp.SrtpProfile.context(after);
    send(phone, srtp(old, 2), 21602); // in flight across the re-INVITE: still carried
    awaitSeen(2, 0);
    send(phone, srtp(fresh, 3), 21602);
    awaitSeen(3, 0);
    send(phone, srtp(old, 4), 21602); // the new key works: the old one is done
    awaitSeen(3, 1);
    sdes(ours, after); // the same key again (a re-INVITE for hold): the context stays
    send(phone, srtp(fresh, 3), 21602); // so a replay is still one
    awaitSeen(3, 2);
  }
}

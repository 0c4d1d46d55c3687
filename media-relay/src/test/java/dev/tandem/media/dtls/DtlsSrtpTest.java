package dev.tandem.media.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.media.dtls.DtlsSrtp.Role;
import dev.tandem.media.srtp.SrtpContext;
import dev.tandem.media.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;
import org.junit.jupiter.api.Test;

/** Two DTLS-SRTP endpoints in the JVM, connected by queues instead of sockets. */
class DtlsSrtpTest {

  /** One end of an in-memory datagram link. */
  static final class Link implements DatagramTransport {
    final BlockingQueue<byte[]> in;
    final BlockingQueue<byte[]> out;

    Link(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out) {
      this.in = in;
      this.out = out;
    }

    static Link[] pair() {
      BlockingQueue<byte[]> a = new LinkedBlockingQueue<>();
      BlockingQueue<byte[]> b = new LinkedBlockingQueue<>();
      return new Link[] {new Link(a, b), new Link(b, a)};
    }

    @Override
    public int getReceiveLimit() {
      return 1500;
    }

    @Override
    public int getSendLimit() {
      return 1500;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
      try {
        byte[] datagram = in.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (datagram == null) {
          return -1;
        }
        int n = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, n);
        return n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
      out.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {}
  }

  /**
   * Each side's blocking handshake on its own thread (not the common pool: with one core's worth of
   * parallelism it would run the two sides one after the other, and each waits for the other).
   */
  private final java.util.concurrent.ExecutorService threads =
      java.util.concurrent.Executors.newFixedThreadPool(2);

  @org.junit.jupiter.api.AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private CompletableFuture<DtlsSrtpKeys> run(
      Role role, DtlsCertificate mine, String theirs, DatagramTransport link) {
    return run(role, mine, theirs, link, DtlsSrtp.PREFERRED_PROFILES);
  }

  private CompletableFuture<DtlsSrtpKeys> run(
      Role role,
      DtlsCertificate mine,
      String theirs,
      DatagramTransport link,
      List<SrtpProfile> profiles) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return DtlsSrtp.handshake(role, mine, theirs, link, profiles);
          } catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        },
        threads);
  }

  @Test
  void bothRolesAgreeOnTheSrtpKeysAndMediaFlows() throws Exception {
    DtlsCertificate relay = DtlsCertificate.generate();
    DtlsCertificate browser = DtlsCertificate.generate();
    assertThat(relay.fingerprint()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
    Link[] link = Link.pair();
    CompletableFuture<DtlsSrtpKeys> server =
        run(Role.SERVER, relay, browser.fingerprint(), link[0]);
    CompletableFuture<DtlsSrtpKeys> client =
        run(Role.CLIENT, browser, relay.fingerprint(), link[1]);
    DtlsSrtpKeys serverKeys = server.get(20, TimeUnit.SECONDS);
    DtlsSrtpKeys clientKeys = client.get(20, TimeUnit.SECONDS);

    assertThat(serverKeys.profile()).isEqualTo(clientKeys.profile());
    assertThat(serverKeys.localKey()).isEqualTo(clientKeys.remoteKey());
    assertThat(serverKeys.localSalt()).isEqualTo(clientKeys.remoteSalt());
    assertThat(serverKeys.remoteKey())
        .isEqualTo(clientKeys.localKey())
        .isNotEqualTo(serverKeys.localKey());

    SrtpContext clientSends = clientKeys.sender();
    SrtpContext serverReceives = serverKeys.receiver();
    assertThat(serverKeys.profile()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
    byte[] packet = new byte[12 + 160 + SrtpContext.maxOverhead()];
    packet[0] = (byte) 0x80;
    packet[12] = 42;
    int n = clientSends.protect(packet, 0, 172);
    assertThat(serverReceives.unprotect(packet, 0, n)).isEqualTo(172);
    assertThat(packet[12]).isEqualTo((byte) 42);
  }

  @Test
  void theRelayPicksItsPreferenceAmongTheOfferedProfilesAndNoCommonOneFails() throws Exception {
    DtlsCertificate relay = DtlsCertificate.generate();
    DtlsCertificate browser = DtlsCertificate.generate();
    Link[] link = Link.pair();
    CompletableFuture<DtlsSrtpKeys> server =
        run(Role.SERVER, relay, browser.fingerprint(), link[0]);
    CompletableFuture<DtlsSrtpKeys> client =
        run(
            Role.CLIENT,
            browser,
            relay.fingerprint(),
            link[1],
            List.of(SrtpProfile.AES128_CM_HMAC_SHA1_32, SrtpProfile.AEAD_AES_128_GCM));
    assertThat(server.get(20, TimeUnit.SECONDS).profile())
        .as("the relay's preference among what the client offers")
        .isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
    assertThat(client.get(20, TimeUnit.SECONDS).profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);

    Link[] other = Link.pair();
    CompletableFuture<DtlsSrtpKeys> gcmOnly =
        run(
            Role.SERVER,
            relay,
            browser.fingerprint(),
            other[0],
            List.of(SrtpProfile.AEAD_AES_128_GCM));
    CompletableFuture<DtlsSrtpKeys> cmOnly =
        run(
            Role.CLIENT,
            browser,
            relay.fingerprint(),
            other[1],
            List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80));
    assertThatThrownBy(() -> gcmOnly.get(20, TimeUnit.SECONDS))
        .rootCause()
        .hasMessageContaining("no common SRTP profile");
    assertThatThrownBy(() -> cmOnly.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void aPeerWhoseCertificateIsNotTheOneInTheSdpIsRefused() throws Exception {
    DtlsCertificate relay = DtlsCertificate.generate();
    DtlsCertificate browser = DtlsCertificate.generate();
    DtlsCertificate impostor = DtlsCertificate.generate();
    Link[] link = Link.pair();
    // the relay expects the browser's fingerprint, but the impostor answers
    CompletableFuture<DtlsSrtpKeys> server =
        run(Role.SERVER, relay, browser.fingerprint(), link[0]);
    CompletableFuture<DtlsSrtpKeys> client =
        run(Role.CLIENT, impostor, relay.fingerprint(), link[1]);
    assertThatThrownBy(() -> server.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .rootCause()
        .hasMessageContaining("bad_certificate")
        .hasMessageContaining("certificate does not match a=fingerprint");
    assertThatThrownBy(() -> client.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }
}

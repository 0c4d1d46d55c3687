package dev.tandem.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.dtls.DtlsSrtp;
import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sdp.translate.RelayAddresses;
import dev.tandem.sdp.translate.SipMedia;
import dev.tandem.sdp.translate.TranslationOptions;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.bouncycastle.tls.DatagramTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded relay as a media backend: SDP in, SDP out, ports taken and given back. */
class EmbeddedRelayTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String SIP_ANSWER =
      "v=0\r\no=user1 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

  private final EmbeddedRelay relay;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final List<DatagramSocket> sockets = new ArrayList<>();

  EmbeddedRelayTest() throws Exception {
    relay = relay(21000, 21019, 2, 64, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS);
  }

  private EmbeddedRelay relay(
      int portMin, int portMax, int dtlsThreads, int dtlsQueue, int handshakeTimeoutMillis)
      throws java.io.IOException {
    return new EmbeddedRelay(
        new RelaySettings(
            "127.0.0.1",
            RelayAddresses.of("198.51.100.20"),
            portMin,
            portMax,
            1,
            dtlsThreads,
            dtlsQueue,
            TranslationOptions.defaults()),
        now::get,
        handshakeTimeoutMillis);
  }

  /** Holds the relay's media loop up until the returned latch opens. */
  private static CountDownLatch hold(EmbeddedRelay relay) {
    CountDownLatch open = new CountDownLatch(1);
    relay
        .loop(0)
        .submit(
            () -> {
              try {
                open.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    return open;
  }

  /** Threads named as DTLS handshake threads, in the whole JVM. */
  private static long dtlsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("relay-dtls"))
        .count();
  }

  private static void awaitNothingLeft(EmbeddedRelay relay) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> relay.portPairsInUse() == 0 && relay.callsOpen() == 0);
  }

  @AfterEach
  void close() {
    relay.close();
    sockets.forEach(DatagramSocket::close);
  }

  /** A browser's socket after a successful, nominating ICE check to the relay's answer. */
  private DatagramSocket iceConnected(String offer, SessionDescription relayAnswer)
      throws Exception {
    return iceConnected(offer, relayAnswer, sockets);
  }

  private static DatagramSocket iceConnected(
      String offer, SessionDescription relayAnswer, List<DatagramSocket> sockets) throws Exception {
    return iceConnected(offer, relayAnswer, sockets, LOOPBACK);
  }

  /** The same from a browser on {@code at} (127.0.0.1 or ::1), to the relay on that address. */
  private static DatagramSocket iceConnected(
      String offer, SessionDescription relayAnswer, List<DatagramSocket> sockets, InetAddress at)
      throws Exception {
    MediaDescription audio = relayAnswer.media().get(0);
    String ufrag = relayAnswer.mediaOrSession(audio, "ice-ufrag").orElseThrow();
    String pwd = relayAnswer.mediaOrSession(audio, "ice-pwd").orElseThrow();
    SessionDescription browserSdp = SessionDescription.parse(offer);
    String browserUfrag =
        browserSdp.mediaOrSession(browserSdp.media().get(0), "ice-ufrag").orElseThrow();
    DatagramSocket browser = new DatagramSocket(new InetSocketAddress(at, 0));
    sockets.add(browser);
    browser.setSoTimeout(3000);
    byte[] check =
        new StunWriter(Stun.BINDING_REQUEST, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
            .attribute(Stun.USERNAME, (ufrag + ":" + browserUfrag).getBytes(StandardCharsets.UTF_8))
            .attribute(Stun.USE_CANDIDATE, new byte[0])
            .messageIntegrity(pwd.getBytes(StandardCharsets.UTF_8))
            .fingerprintAndBuild();
    browser.send(new DatagramPacket(check, check.length, at, audio.media().port()));
    byte[] buf = new byte[1500];
    DatagramPacket response = new DatagramPacket(buf, buf.length);
    browser.receive(response);
    assertThat(StunMessage.parse(buf, 0, response.getLength()).type())
        .isEqualTo(Stun.BINDING_SUCCESS);
    return browser;
  }

  private Optional<String> failure(CallId call) {
    return failure(relay, call);
  }

  private static Optional<String> failure(EmbeddedRelay relay, CallId call) {
    return relay.activity(call).toCompletableFuture().join().failure();
  }

  @Test
  void aBrowserWhoseDtlsCertificateIsNotTheOneInItsSdpFailsTheCallPromptly() throws Exception {
    CallId call = new CallId("impostor");
    relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
    SessionDescription answer =
        SessionDescription.parse(
            relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
    DatagramSocket browser = iceConnected(chromeOffer(), answer);
    assertThat(failure(call)).isEmpty();
    // the relay is the DTLS client (a=setup:active); the "browser" serves another certificate
    // than the fingerprint its offer carried
    String relayFingerprint =
        answer
            .media()
            .get(0)
            .fingerprint()
            .map(f -> f.hashFunction() + " " + f.fingerprint())
            .orElseThrow();
    Thread server =
        new Thread(
            () -> {
              try {
                DtlsSrtp.handshake(
                    DtlsSrtp.Role.SERVER,
                    DtlsCertificate.generate(),
                    relayFingerprint,
                    new UdpTransport(browser));
              } catch (java.io.IOException expected) {
                // the relay aborts the handshake
              }
            });
    server.setDaemon(true);
    server.start();
    Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> failure(call).isPresent());
    assertThat(failure(call).orElseThrow())
        .contains("DTLS handshake")
        .contains("certificate does not match a=fingerprint");
    assertThat(relay.failures().dtlsHandshakesFailed()).isEqualTo(1);
    assertThat(relay.failures().iceConsentsExpired()).isZero();
    relay.release(call);
    server.join(12_000);
  }

  @Test
  void theHandshakeStartsOnlyWhenIceHasVerifiedTheBrowserAndItsFirstFlightFollowsAtOnce()
      throws Exception {
    CallId call = new CallId("after-ice");
    relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
    SessionDescription answer =
        SessionDescription.parse(
            relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
    // the relay is the DTLS client (a=setup:active), but nobody has checked its address yet
    assertThat(relay.dtlsThreadsAlive()).as("no handshake thread before ICE").isZero();
    DatagramSocket browser = iceConnected(chromeOffer(), answer);
    byte[] buf = new byte[1500];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    browser.receive(packet);
    assertThat(buf[0]).as("a DTLS handshake record (RFC 7983: 20..63)").isEqualTo((byte) 22);
    assertThat(relay.dtlsThreadsAlive()).isEqualTo(1);
    relay.release(call);
  }

  @Test
  void aBrowserThatStopsSendingConsentChecksFailsTheCall() throws Exception {
    CallId call = new CallId("consent");
    relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
    SessionDescription answer =
        SessionDescription.parse(
            relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
    iceConnected(chromeOffer(), answer);
    now.set(now.get().plusSeconds(29));
    assertThat(failure(call)).as("29 s after the last check").isEmpty();
    now.set(now.get().plusSeconds(2));
    assertThat(failure(call)).get().asString().contains("no ICE consent from the browser for 30 s");
    assertThat(failure(call)).as("asked again").isPresent();
    assertThat(relay.failures().iceConsentsExpired()).as("counted once").isEqualTo(1);
    assertThat(relay.failures().dtlsHandshakesFailed()).isZero();
    relay.release(call);
  }

  /** DTLS over a plain UDP socket to the relay's address (the one the socket last heard from). */
  private static final class UdpTransport implements DatagramTransport {
    private final DatagramSocket socket;
    private volatile java.net.SocketAddress peer;

    UdpTransport(DatagramSocket socket) {
      this.socket = socket;
    }

    @Override
    public int getReceiveLimit() {
      return 1500;
    }

    @Override
    public int getSendLimit() {
      return 1400;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws java.io.IOException {
      socket.setSoTimeout(Math.max(1, waitMillis));
      DatagramPacket p = new DatagramPacket(buf, off, len);
      try {
        socket.receive(p);
      } catch (java.net.SocketTimeoutException e) {
        return -1;
      }
      peer = p.getSocketAddress();
      return p.getLength();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws java.io.IOException {
      if (peer != null) {
        socket.send(new DatagramPacket(buf, off, len, peer));
      }
    }

    @Override
    public void close() {}
  }

  private static String chromeOffer() throws Exception {
    try (InputStream in =
        EmbeddedRelayTest.class.getResourceAsStream("/chrome-offer-audio-only.sdp")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBrowserCallGetsAPlainOfferAndAWebRtcAnswerOnItsOwnPorts() throws Exception {
    CallId call = new CallId("c1");
    SessionDescription plain =
        SessionDescription.parse(
            relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join());
    MediaDescription audio = plain.media().get(0);
    assertThat(audio.media().proto()).isEqualTo("RTP/AVP");
    assertThat(audio.media().port()).isBetween(21000, 21019).matches(p -> p % 2 == 0);
    assertThat(plain.connection(audio).orElseThrow().connectionAddress())
        .isEqualTo("198.51.100.20");

    SessionDescription webrtc =
        SessionDescription.parse(
            relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
    MediaDescription answer = webrtc.media().get(0);
    assertThat(webrtc.iceLite()).isTrue();
    assertThat(answer.setup()).contains(Setup.ACTIVE);
    assertThat(answer.fingerprint().orElseThrow().hashFunction()).isEqualTo("sha-256");
    assertThat(answer.candidates())
        .singleElement()
        .matches(c -> c.address().equals("198.51.100.20"));
    assertThat(answer.payloadTypes()).containsExactly(0, 126);
    // a 183 with SDP and then the 200 answer the same offer: both are translated
    assertThat(relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join())
        .contains("a=setup:active");
    assertThat(relay.portPairsInUse()).isEqualTo(2);
    assertThat(relay.activity(call).toCompletableFuture().join())
        .isEqualTo(new MediaActivity(0, 0));

    relay.release(call);
    relay.release(call);
    awaitNothingLeft(relay);
  }

  // --- issue 14: IPv6 ---

  private static final InetAddress V6_LOOPBACK = ipv6Loopback();

  private static InetAddress ipv6Loopback() {
    try {
      return InetAddress.getByName("::1");
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRelayOnBothFamiliesMeetsASipPeerOnIpv6AndABrowserOnIpv4() throws Exception {
    try (EmbeddedRelay both =
        new EmbeddedRelay(
            new RelaySettings(
                "::",
                new RelayAddresses("127.0.0.1", Optional.of("::1")),
                21040,
                21059,
                1,
                1,
                8,
                TranslationOptions.defaults()))) {
      CallId call = new CallId("v6-sip");
      DatagramSocket phone = new DatagramSocket(new InetSocketAddress(V6_LOOPBACK, 0));
      sockets.add(phone);
      String sipOffer =
          SIP_ANSWER
              .replace("IN IP4 127.0.0.1", "IN IP6 ::1")
              .replace("m=audio 6000", "m=audio " + phone.getLocalPort());
      SessionDescription toBrowser =
          SessionDescription.parse(
              both.offer(call, Side.SIP, sipOffer).toCompletableFuture().join());
      MediaDescription audio = toBrowser.media().get(0);
      assertThat(audio.candidates())
          .extracting(c -> c.address())
          .as("a host candidate on each family, IPv4 (the primary) first")
          .containsExactly("127.0.0.1", "::1");
      assertThat(toBrowser.connection(audio).orElseThrow().addrtype()).isEqualTo("IP4");

      String browserAnswer = chromeOffer().replace("a=setup:actpass", "a=setup:active");
      SessionDescription toSip =
          SessionDescription.parse(
              both.answer(call, Side.BROWSER, browserAnswer).toCompletableFuture().join());
      MediaDescription plain = toSip.media().get(0);
      assertThat(toSip.connection(plain).orElseThrow().toValue())
          .as("the SIP peer is answered on its own family")
          .isEqualTo("IN IP6 ::1");
      assertThat(toSip.origin().addrtype()).isEqualTo("IP6");

      // the browser's ICE check arrives over IPv4 on the same port
      iceConnected(browserAnswer, toBrowser, sockets, LOOPBACK);
      // the phone's RTP arrives over IPv6 at the plain port and is counted
      byte[] rtp = new byte[172];
      rtp[0] = (byte) 0x80;
      phone.send(new DatagramPacket(rtp, rtp.length, V6_LOOPBACK, plain.media().port()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> both.activity(call).toCompletableFuture().join().packetsFromSip() == 1);
      both.release(call);
      awaitNothingLeft(both);
    }
  }

  @Test
  void aSipPeerOfAFamilyTheRelayLacksIsBadSdpNamingItsLine() {
    String v6Offer = SIP_ANSWER.replace("IN IP4 127.0.0.1", "IN IP6 ::1");
    CallId call = new CallId("v6-refused");
    assertThatThrownBy(() -> relay.offer(call, Side.SIP, v6Offer).toCompletableFuture().join())
        .cause()
        .isInstanceOf(MediaException.class)
        .matches(e -> ((MediaException) e).badSdp())
        .hasMessage(
            "the SIP side's offer puts its media on IPv6 (c=IN IP6 ::1), and the relay has no"
                + " IPv6 address (it has 198.51.100.20)");
    relay.release(call);
    awaitNothingLeft(relay);
  }

  @Test
  void socketsBoundToOneFamilyCannotCarryAnAddressOfTheOther() {
    assertThatThrownBy(
            () ->
                new RelaySettings(
                    "127.0.0.1",
                    new RelayAddresses("127.0.0.1", Optional.of("::1")),
                    21000,
                    21019,
                    1,
                    1,
                    8,
                    TranslationOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the relay announces ::1 (IPv6), but its sockets bound to 127.0.0.1 carry only IPv4:"
                + " bind to :: or 0.0.0.0 (both families) or to an address of that family");
    assertThat(RelaySettings.familyProblem("::1", RelayAddresses.of("::1"))).isEmpty();
    assertThat(RelaySettings.familyProblem("0.0.0.0", RelayAddresses.of("::1"))).isEmpty();
    assertThat(RelaySettings.familyProblem("::1", RelayAddresses.of("192.0.2.1"))).isPresent();
    assertThat(RelaySettings.familyProblem("relay.example", RelayAddresses.of("::1"))).isEmpty();
  }

  @Test
  void aSipOfferWithRtcpMuxIsAnsweredMuxedAndOneWithoutGetsTheNextPort() throws Exception {
    CallId call = new CallId("mux");
    String muxedOffer = SIP_ANSWER.replace("o=user1 1 1", "o=user1 5 5") + "a=rtcp-mux\r\n";
    relay.offer(call, Side.SIP, muxedOffer).toCompletableFuture().join();
    String browserAnswer = chromeOffer().replace("a=setup:actpass", "a=setup:active");
    SessionDescription plain =
        SessionDescription.parse(
            relay.answer(call, Side.BROWSER, browserAnswer).toCompletableFuture().join());
    MediaDescription audio = plain.media().get(0);
    assertThat(audio.rtcpMux()).as("RFC 5761: the offered mux is accepted").isTrue();
    assertThat(audio.rtcp()).isEmpty();
    relay.release(call);

    CallId plainCall = new CallId("no-mux");
    relay.offer(plainCall, Side.SIP, SIP_ANSWER).toCompletableFuture().join();
    SessionDescription separate =
        SessionDescription.parse(
            relay.answer(plainCall, Side.BROWSER, browserAnswer).toCompletableFuture().join());
    MediaDescription other = separate.media().get(0);
    assertThat(other.rtcpMux()).isFalse();
    assertThat(other.rtcp().orElseThrow().port()).isEqualTo(other.media().port() + 1);
    relay.release(plainCall);
  }

  @Test
  void portsAreReusedAfterReleaseAndTheRangeIsALimit() throws Exception {
    // 20 ports = 10 pairs = 5 calls
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 5; i++) {
        relay.offer(new CallId("c" + i), Side.BROWSER, chromeOffer()).toCompletableFuture().join();
      }
      assertThatThrownBy(
              () ->
                  relay
                      .offer(new CallId("one-too-many"), Side.BROWSER, chromeOffer())
                      .toCompletableFuture()
                      .join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(MediaException.class);
      for (int i = 0; i < 5; i++) {
        relay.release(new CallId("c" + i));
      }
      relay.release(new CallId("one-too-many"));
      awaitNothingLeft(relay);
    }
  }

  @Test
  void aPortAnotherProgramHoldsIsSkipped() throws Exception {
    try (java.net.DatagramSocket squatter =
        new java.net.DatagramSocket(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 21000))) {
      SessionDescription plain =
          SessionDescription.parse(
              relay
                  .offer(new CallId("c"), Side.BROWSER, chromeOffer())
                  .toCompletableFuture()
                  .join());
      assertThat(plain.media().get(0).media().port()).isNotEqualTo(21000).isNotEqualTo(21001);
      relay.release(new CallId("c"));
      awaitNothingLeft(relay);
      assertThat(squatter.isBound()).isTrue();
    }
  }

  @Test
  void unusableSdpIsABadSdpFailureAndAllocatesNothing() {
    assertThatThrownBy(
            () ->
                relay
                    .offer(new CallId("bad"), Side.BROWSER, "v=0\r\nnonsense\r\n")
                    .toCompletableFuture()
                    .join())
        .cause()
        .isInstanceOf(MediaException.class)
        .matches(e -> ((MediaException) e).badSdp());
    String g729 = SIP_ANSWER.replace("RTP/AVP 0 101", "RTP/AVP 18");
    assertThatThrownBy(
            () -> relay.offer(new CallId("g729"), Side.SIP, g729).toCompletableFuture().join())
        .cause()
        .isInstanceOf(MediaException.class)
        .hasMessageContaining("no offered codec can go to a browser");
    relay.release(new CallId("g729"));
    awaitNothingLeft(relay);
    assertThatThrownBy(
            () ->
                relay
                    .answer(new CallId("nothing"), Side.SIP, SIP_ANSWER)
                    .toCompletableFuture()
                    .join())
        .cause()
        .hasMessageContaining("no offer");
  }

  // --- issue 16: the caller never waits for the relay; threads stay bounded whatever the load ---

  @Test
  void offerReturnsBeforeTheMediaLoopHasBoundAnySocket() throws Exception {
    CountDownLatch held = hold(relay);
    CompletableFuture<String> offer =
        relay.offer(new CallId("held"), Side.BROWSER, chromeOffer()).toCompletableFuture();
    assertThat(offer).as("the offer waits for the loop, the caller does not").isNotDone();
    assertThat(relay.portPairsInUse()).as("no port taken, no socket bound yet").isZero();
    CompletableFuture<MediaActivity> activity =
        relay.activity(new CallId("held")).toCompletableFuture();
    assertThat(activity).isNotDone();

    held.countDown();
    int port = SessionDescription.parse(offer.join()).media().get(0).media().port();
    assertThat(port).isBetween(21000, 21019);
    assertThat(activity.join()).isEqualTo(new MediaActivity(0, 0));
    relay.release(new CallId("held"));
    awaitNothingLeft(relay);
  }

  @Test
  void releaseDuringAnOfferStillInFlightLeavesNothingBehind() throws Exception {
    CountDownLatch held = hold(relay);
    CallId call = new CallId("gone-early");
    CompletableFuture<String> offer =
        relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture();
    CompletableFuture<String> answer =
        relay.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture();
    relay.release(call); // returns at once, with the loop still held up

    held.countDown();
    assertThatThrownBy(offer::join).cause().isInstanceOf(MediaException.class);
    assertThatThrownBy(answer::join).cause().isInstanceOf(MediaException.class);
    awaitNothingLeft(relay);
    for (int port = 21000; port <= 21019; port++) {
      try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
        assertThat(free.isBound()).as("port " + port + " is free").isTrue();
      }
    }
    assertThat(relay.dtlsThreadsAlive()).isZero();
  }

  @Test
  void aReleasedPortIsHandedOutAgainOnlyOnceItsSocketIsClosed() throws Exception {
    try (EmbeddedRelay one = relay(21020, 21023, 1, 1, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS)) {
      // 4 ports: room for exactly one call
      one.offer(new CallId("a"), Side.BROWSER, chromeOffer()).toCompletableFuture().join();
      CountDownLatch held = hold(one);
      one.release(new CallId("a"));
      assertThat(one.portPairsInUse()).as("given back only once closed").isEqualTo(2);
      assertThatThrownBy(() -> new DatagramSocket(new InetSocketAddress(LOOPBACK, 21020)))
          .as("the released call's socket is still bound")
          .isInstanceOf(java.net.BindException.class);
      CompletableFuture<String> next =
          one.offer(new CallId("b"), Side.BROWSER, chromeOffer()).toCompletableFuture();

      held.countDown();
      SessionDescription plain = SessionDescription.parse(next.join());
      assertThat(plain.media().get(0).media().port())
          .as("the same ports, bound again after the close")
          .isIn(21020, 21022);
      one.release(new CallId("b"));
      awaitNothingLeft(one);
    }
  }

  @Test
  void aThousandCallsWhoseBrowsersNeverSendIceStartNoDtlsThread() throws Exception {
    long before = dtlsThreads();
    try (EmbeddedRelay many = relay(21100, 21499, 2, 4, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS)) {
      for (int round = 0; round < 10; round++) {
        List<CallId> open = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          CallId call = new CallId("silent-" + round + "-" + i);
          open.add(call);
          many.offer(call, Side.BROWSER, chromeOffer());
          many.answer(call, Side.SIP, SIP_ANSWER);
        }
        // the last answer of the round is done: every earlier one ran before it on the loop
        many.activity(open.get(99)).toCompletableFuture().join();
        for (CallId call : open) {
          assertThat(failure(many, call)).as("armed, waiting for ICE, not refused").isEmpty();
        }
        assertThat(many.dtlsThreadsAlive()).isZero();
        assertThat(dtlsThreads()).as("relay-dtls threads with 100 calls up").isEqualTo(before);
        open.forEach(many::release);
      }
      awaitNothingLeft(many);
    }
  }

  @Test
  void handshakesBeyondTheThreadsWaitInTheQueueAndBeyondTheQueueAreRefused() throws Exception {
    try (EmbeddedRelay bounded = relay(21500, 21519, 1, 1, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS)) {
      // three browsers pass ICE but never answer the relay's ClientHello: one holds the only
      // thread, one waits for it, the third finds no place
      List<DatagramSocket> browsers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CallId call = new CallId("busy-" + i);
        bounded.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
        SessionDescription answer =
            SessionDescription.parse(
                bounded.answer(call, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
        browsers.add(iceConnected(chromeOffer(), answer, sockets));
      }
      assertThat(failure(bounded, new CallId("busy-0"))).isEmpty();
      assertThat(failure(bounded, new CallId("busy-1"))).isEmpty();
      assertThat(failure(bounded, new CallId("busy-2")))
          .get()
          .asString()
          .contains("DTLS handshake refused")
          .contains("all 1 handshake threads busy and 1 handshakes waiting");
      assertThat(bounded.dtlsThreadsAlive()).isEqualTo(1);

      // the first call ends: its handshake gives the thread up and the waiting one starts
      bounded.release(new CallId("busy-0"));
      byte[] buf = new byte[1500];
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      browsers.get(1).receive(packet);
      assertThat(buf[0]).as("the queued call's ClientHello").isEqualTo((byte) 22);
      assertThat(bounded.dtlsThreadsAlive()).isEqualTo(1);
      bounded.release(new CallId("busy-1"));
      bounded.release(new CallId("busy-2"));
      awaitNothingLeft(bounded);
    }
  }

  @Test
  void aHandshakeThatTimesOutFailsItsCallAndFreesItsThread() throws Exception {
    try (EmbeddedRelay bounded = relay(21520, 21539, 1, 1, 300)) {
      CallId mute = new CallId("mute");
      bounded.offer(mute, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
      SessionDescription answer =
          SessionDescription.parse(
              bounded.answer(mute, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
      iceConnected(chromeOffer(), answer, sockets);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> failure(bounded, mute).isPresent());
      assertThat(failure(bounded, mute).orElseThrow()).contains("DTLS handshake");

      // the only thread is free again: the next call's handshake gets it
      CallId next = new CallId("next");
      bounded.offer(next, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
      SessionDescription nextAnswer =
          SessionDescription.parse(
              bounded.answer(next, Side.SIP, SIP_ANSWER).toCompletableFuture().join());
      DatagramSocket browser = iceConnected(chromeOffer(), nextAnswer, sockets);
      byte[] buf = new byte[1500];
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      browser.receive(packet);
      assertThat(buf[0]).isEqualTo((byte) 22);
      assertThat(failure(bounded, next)).isEmpty();
      bounded.release(mute);
      bounded.release(next);
      awaitNothingLeft(bounded);
    }
  }

  // --- issue 15: SDES-SRTP on the SIP side ---

  private static final String BARESIP_KEY =
      "inline:" + java.util.Base64.getEncoder().encodeToString(new byte[30]).replace('A', 'k');

  private static String savpOffer(String... cryptoLines) {
    StringBuilder sb = new StringBuilder(SIP_ANSWER.replace("RTP/AVP", "RTP/SAVP"));
    for (String line : cryptoLines) {
      sb.append(line).append("\r\n");
    }
    return sb.toString();
  }

  private static Throwable failure(java.util.concurrent.CompletionStage<String> stage) {
    try {
      stage.toCompletableFuture().join();
      throw new AssertionError("no failure");
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void anSavpOfferIsAnsweredWithSrtpAndItsMediaIsAuthenticated() throws Exception {
    CallId call = new CallId("sdes-in");
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    sockets.add(socket);
    relay
        .offer(
            call,
            Side.SIP,
            savpOffer("a=crypto:7 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY)
                .replace("m=audio 6000", "m=audio " + socket.getLocalPort()))
        .toCompletableFuture()
        .join();
    String browserAnswer = chromeOffer().replace("a=setup:actpass", "a=setup:active");
    MediaDescription answer =
        SessionDescription.parse(
                relay.answer(call, Side.BROWSER, browserAnswer).toCompletableFuture().join())
            .media()
            .get(0);
    assertThat(answer.media().proto()).isEqualTo("RTP/SAVP");
    assertThat(answer.cryptos()).singleElement().matches(c -> c.tag() == 7);
    assertThat(answer.cryptos().get(0).keyParams()).isNotEqualTo(BARESIP_KEY);

    // the phone's SRTP is taken; a packet with a broken tag is not
    dev.tandem.media.srtp.SrtpContext phone =
        dev.tandem.media.srtp.SrtpProfile.context(
            dev.tandem.sdp.SdesKey.of(
                dev.tandem.sdp.Crypto.parse("7 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY)));
    {
      for (int seq = 1; seq <= 3; seq++) {
        byte[] buf = new byte[64];
        byte[] rtp = {(byte) 0x80, 0, 0, (byte) seq, 0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 3, 4};
        System.arraycopy(rtp, 0, buf, 0, rtp.length);
        int n = phone.protect(buf, 0, rtp.length);
        if (seq == 2) {
          buf[n - 1] ^= 1;
        }
        socket.send(new java.net.DatagramPacket(buf, n, LOOPBACK, answer.media().port()));
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(3))
          .until(() -> relay.activity(call).toCompletableFuture().join().packetsFromSip() == 2);
    }
    // the browser re-offers (hold): the call runs SRTP, so the re-offer keeps it, with our key
    MediaDescription reoffer =
        SessionDescription.parse(
                relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join())
            .media()
            .get(0);
    assertThat(reoffer.media().proto()).isEqualTo("RTP/SAVP");
    assertThat(reoffer.cryptos())
        .anyMatch(c -> c.keyParams().equals(answer.cryptos().get(0).keyParams()));
    RelayTotals live = relay.totals();
    assertThat(live.packetsFromSip()).as("a call in progress counts").isEqualTo(2);
    assertThat(live.sipAuthFailures()).isEqualTo(1);
    assertThat(live.dropped()).isGreaterThanOrEqualTo(1);

    dev.tandem.core.media.MediaStats stats =
        relay.release(call).toCompletableFuture().get(3, TimeUnit.SECONDS).orElseThrow();
    assertThat(stats.fromSip().packets()).isEqualTo(2);
    assertThat(stats.fromSip().bytes()).as("RTP as unprotected").isEqualTo(2L * 16);
    assertThat(stats.fromSip().packetsLost()).as("no RTCP report from the browser").isEmpty();
    assertThat(stats.fromBrowser().packets()).isZero();
    assertThat(relay.totals()).as("an ended call still counts, once").isEqualTo(live);
    assertThat(relay.release(call).toCompletableFuture().get(3, TimeUnit.SECONDS)).isEmpty();
    awaitNothingLeft(relay);
  }

  @Test
  void sdesRequiredOffersSavpAndFailsOnAPlainAnswer() throws Exception {
    CallId call = new CallId("sdes-out");
    MediaDescription offer =
        SessionDescription.parse(
                relay
                    .offer(
                        call,
                        Side.BROWSER,
                        chromeOffer(),
                        dev.tandem.sdp.translate.SipMedia.of(MediaEncryption.SDES_REQUIRED))
                    .toCompletableFuture()
                    .join())
            .media()
            .get(0);
    assertThat(offer.media().proto()).isEqualTo("RTP/SAVP");
    assertThat(offer.cryptos())
        .extracting(c -> c.tag() + " " + c.suite())
        .containsExactly("1 AES_CM_128_HMAC_SHA1_80");
    assertThat(failure(relay.answer(call, Side.SIP, SIP_ANSWER)))
        .isInstanceOf(MediaException.class)
        .hasMessage("no SRTP in the answer (RTP/AVP), but media-encryption is sdes-required")
        .matches(e -> ((MediaException) e).badSdp());
    assertThat(
            relay
                .answer(
                    call, Side.SIP, savpOffer("a=crypto:1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY))
                .toCompletableFuture()
                .join())
        .contains("UDP/TLS/RTP/SAVPF");
    relay.release(call);

    CallId preferred = new CallId("sdes-preferred");
    relay
        .offer(
            preferred,
            Side.BROWSER,
            chromeOffer(),
            dev.tandem.sdp.translate.SipMedia.of(MediaEncryption.SDES_PREFERRED))
        .toCompletableFuture()
        .join();
    assertThat(relay.answer(preferred, Side.SIP, SIP_ANSWER).toCompletableFuture().join())
        .as("a plain answer to a preferred offer runs plain")
        .contains("a=ice-lite");
    relay.release(preferred);
    awaitNothingLeft(relay);
  }

  @Test
  void secureOffersWithoutAUsableKeyAndPlainOffersToRequiredAreBadSdp() {
    assertThat(failure(relay.offer(new CallId("s1"), Side.SIP, savpOffer())))
        .hasMessage("RTP/SAVP offered without an a=crypto line")
        .matches(e -> ((MediaException) e).badSdp());
    assertThat(
            failure(
                relay.offer(
                    new CallId("s2"),
                    Side.SIP,
                    savpOffer("a=crypto:1 AES_CM_128_HMAC_SHA1_80 " + BARESIP_KEY + "|1:4"))))
        .hasMessageContaining("an MKI is not supported");
    assertThat(
            failure(
                relay.offer(
                    new CallId("s3"),
                    Side.SIP,
                    SIP_ANSWER,
                    dev.tandem.sdp.translate.SipMedia.of(MediaEncryption.SDES_REQUIRED))))
        .hasMessageContaining("SRTP is required");
    List.of("s1", "s2", "s3").forEach(c -> relay.release(new CallId(c)));
    awaitNothingLeft(relay);
  }

  // --- issue 19: video ---

  private static String resource(String name) throws Exception {
    try (InputStream in = EmbeddedRelayTest.class.getResourceAsStream("/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBrowserOfferWithVideoTakesAVideoPairOnlyWhereTheSipPolicyLetsVideoCross() throws Exception {
    String offer = resource("chrome-offer-audio-video.sdp");
    CallId withVideo = new CallId("av");
    relay
        .offer(withVideo, Side.BROWSER, offer, new SipMedia(MediaEncryption.PLAIN, true))
        .toCompletableFuture()
        .join();
    assertThat(relay.portPairsInUse()).as("WebRTC, audio and video pairs").isEqualTo(3);
    CallId audioOnly = new CallId("video-off");
    relay
        .offer(audioOnly, Side.BROWSER, offer, new SipMedia(MediaEncryption.PLAIN, false))
        .toCompletableFuture()
        .join();
    assertThat(relay.portPairsInUse()).as("no video pair where video may not cross").isEqualTo(5);
    relay.offer(withVideo, Side.BROWSER, offer).toCompletableFuture().join();
    assertThat(relay.portPairsInUse()).as("a re-offer keeps the video pair").isEqualTo(5);
    CallId sdes = new CallId("video-sdes");
    relay
        .offer(sdes, Side.BROWSER, offer, new SipMedia(MediaEncryption.SDES_REQUIRED, true))
        .toCompletableFuture()
        .join();
    assertThat(relay.portPairsInUse())
        .as("no video pair toward SDES: the translator refuses video there")
        .isEqualTo(7);
    relay.release(sdes);
    relay.release(withVideo);
    relay.release(audioOnly);
    awaitNothingLeft(relay);
  }

  @Test
  void withoutAFreePairForVideoTheCallCarriesAudioOnly() throws Exception {
    try (EmbeddedRelay small = relay(21040, 21043, 1, 4, DtlsSrtp.HANDSHAKE_TIMEOUT_MILLIS)) {
      CallId call = new CallId("no-room-for-video");
      small
          .offer(call, Side.BROWSER, resource("chrome-offer-audio-video.sdp"))
          .toCompletableFuture()
          .get(3, TimeUnit.SECONDS);
      assertThat(small.portPairsInUse()).isEqualTo(2);
      assertThat(small.endpoint(call).orElseThrow().video()).isEmpty();
      small.release(call);
      awaitNothingLeft(small);
    }
  }

  @Test
  void theSipSidesVideoAddressAndKeyframeFeedbackAreReadAndPortZeroStopsIt() throws Exception {
    CallId call = new CallId("sip-av");
    String offer = resource("baresip-offer-audio-video-vp8.sdp");
    relay.offer(call, Side.SIP, offer).toCompletableFuture().join();
    SipStream video = relay.endpoint(call).orElseThrow().video().orElseThrow();
    assertThat(video.sipRtp).isEqualTo(new InetSocketAddress("127.0.0.1", 43020));
    assertThat(video.sipRtcp)
        .as("RTCP on the next port")
        .isEqualTo(new InetSocketAddress("127.0.0.1", 43021));
    assertThat(video.keyframeFeedback).as("a=rtcp-fb:* nack pli").isTrue();
    assertThat(relay.endpoint(call).orElseThrow().audio.sipRtp)
        .isEqualTo(new InetSocketAddress("127.0.0.1", 43060));

    // a re-INVITE without rtcp-fb, then one that switches the video off
    relay
        .offer(call, Side.SIP, offer.replace("a=rtcp-fb:* nack pli\r\n", ""))
        .toCompletableFuture()
        .join();
    assertThat(video.keyframeFeedback).isFalse();
    relay
        .offer(call, Side.SIP, offer.replace("m=video 43020", "m=video 0"))
        .toCompletableFuture()
        .join();
    assertThat(video.sipRtp).as("video off").isNull();
    assertThat(relay.endpoint(call).orElseThrow().audio.sipRtp).as("audio goes on").isNotNull();
    relay.release(call);
    awaitNothingLeft(relay);
  }

  @Test
  void keyframeFeedbackIsPliOrFirInRtcpFb() throws Exception {
    assertThat(EmbeddedRelay.takesKeyframeFeedback(videoWith("a=rtcp-fb:96 nack pli"))).isTrue();
    assertThat(EmbeddedRelay.takesKeyframeFeedback(videoWith("a=rtcp-fb:* ccm fir"))).isTrue();
    assertThat(EmbeddedRelay.takesKeyframeFeedback(videoWith("a=rtcp-fb:96 nack"))).isFalse();
    assertThat(EmbeddedRelay.takesKeyframeFeedback(videoWith("a=rtcp-fb:96 goog-remb"))).isFalse();
  }

  private static MediaDescription videoWith(String rtcpFb) throws Exception {
    return SessionDescription.parse(
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=video 5000 RTP/AVPF 96\r\na=rtpmap:96 VP8/90000\r\n"
                + rtcpFb
                + "\r\n")
        .media()
        .get(0);
  }

  @Test
  void requestKeyframeForACallWithoutVideoOrUnknownDoesNothing() throws Exception {
    relay.requestKeyframe(new CallId("nobody"), Side.BROWSER);
    CallId call = new CallId("audio-only");
    relay.offer(call, Side.BROWSER, chromeOffer()).toCompletableFuture().join();
    relay.requestKeyframe(call, Side.BROWSER);
    relay.requestKeyframe(call, Side.SIP);
    assertThat(relay.activity(call).toCompletableFuture().join().failure()).isEmpty();
    relay.release(call);
    awaitNothingLeft(relay);
  }

  @Test
  void aBrowsersVideoGoesToTheSipSideOnTheVideoPairWithTheAnswersPayloadTypes() throws Exception {
    CallId call = new CallId("av-out");
    SessionDescription plain =
        SessionDescription.parse(
            relay
                .offer(call, Side.BROWSER, resource("chrome-offer-audio-video.sdp"))
                .toCompletableFuture()
                .join());
    RelayCall endpoint = relay.endpoint(call).orElseThrow();
    SipStream video = endpoint.video().orElseThrow();
    MediaDescription offeredVideo = plain.media().get(1);
    assertThat(offeredVideo.media().media()).isEqualTo("video");
    assertThat(offeredVideo.media().port()).isEqualTo(video.port);
    assertThat(offeredVideo.rtcp().orElseThrow().port()).isEqualTo(video.port + 1);
    assertThat(plain.media().get(0).media().port()).isEqualTo(endpoint.audio.port);

    // the phone answers VP8 with the offer's 96 and takes PLI as RTCP feedback
    String answer =
        SIP_ANSWER + "m=video 6002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=rtcp-fb:* nack pli\r\n";
    SessionDescription webrtc =
        SessionDescription.parse(relay.answer(call, Side.SIP, answer).toCompletableFuture().join());
    assertThat(webrtc.media().get(1).isRejected()).isFalse();
    assertThat(webrtc.media().get(1).media().port())
        .as("bundled on the audio's port")
        .isEqualTo(webrtc.media().get(0).media().port());
    assertThat(video.payloadTypes.toSip(96)).isEqualTo(96);
    assertThat(video.sipRtp).isEqualTo(new InetSocketAddress("127.0.0.1", 6002));
    assertThat(video.keyframeFeedback).isTrue();
    assertThat(endpoint.audio.payloadTypes.toSip(96)).as("not audio's").isEqualTo(-1);

    // the browser turns its camera off: a re-offer with the video at port 0 keeps the m-line
    String cameraOff =
        resource("chrome-offer-audio-video.sdp").replaceFirst("m=video [0-9]+", "m=video 0");
    SessionDescription reoffer =
        SessionDescription.parse(
            relay.offer(call, Side.BROWSER, cameraOff).toCompletableFuture().join());
    assertThat(reoffer.media()).hasSize(2);
    assertThat(reoffer.media().get(1).isRejected()).isTrue();
    relay.release(call);
    awaitNothingLeft(relay);
  }

  @Test
  void aSipPhonesVideoOfferReachesTheBrowserBundledAndItsAnswerOpensTheVideoPath()
      throws Exception {
    CallId call = new CallId("av-in");
    SessionDescription offer =
        SessionDescription.parse(
            relay
                .offer(call, Side.SIP, resource("baresip-offer-audio-video-vp8.sdp"))
                .toCompletableFuture()
                .join());
    assertThat(offer.media()).hasSize(2);
    assertThat(offer.media().get(1).media().media()).isEqualTo("video");
    String browserAnswer = resource("chrome-answer-to-tandem-av-offer.sdp");
    SessionDescription plain =
        SessionDescription.parse(
            relay.answer(call, Side.BROWSER, browserAnswer).toCompletableFuture().join());
    SipStream video = relay.endpoint(call).orElseThrow().video().orElseThrow();
    assertThat(plain.media().get(1).media().port()).isEqualTo(video.port);
    assertThat(video.payloadTypes.browserToSip()).isNotEmpty();
    assertThat(video.payloadTypes.toBrowser(96)).as("baresip's VP8").isNotEqualTo(-1);
    relay.release(call);
    awaitNothingLeft(relay);
  }
}

package dev.tandem.media.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.core.call.CallId;
import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend.Side;
import dev.tandem.core.media.MediaException;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import dev.tandem.sdp.translate.TranslationOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded relay as a media backend: SDP in, SDP out, ports taken and given back. */
class EmbeddedRelayTest {
  private static final String SIP_ANSWER =
      "v=0\r\no=user1 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

  private final EmbeddedRelay relay;

  EmbeddedRelayTest() throws Exception {
    relay =
        new EmbeddedRelay(
            new RelaySettings(
                "127.0.0.1", "198.51.100.20", 21000, 21019, TranslationOptions.defaults()));
  }

  @AfterEach
  void close() {
    relay.close();
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
    assertThat(relay.portPairsInUse()).as("ports given back once").isZero();
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
      assertThat(relay.portPairsInUse()).isZero();
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
      assertThat(relay.portPairsInUse()).isZero();
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
    assertThat(relay.portPairsInUse()).isZero();
    assertThatThrownBy(
            () ->
                relay
                    .answer(new CallId("nothing"), Side.SIP, SIP_ANSWER)
                    .toCompletableFuture()
                    .join())
        .cause()
        .hasMessageContaining("no offer");
  }
}

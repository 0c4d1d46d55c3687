package dev.tandem.sip.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.health.Readiness;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.wire.WirePeer;
import dev.tandem.sip.wire.WirePeer.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 4475-style torture requests, written as raw bytes over UDP and TCP to a real JAIN-SIP stack:
 * each gets the answer RFC 3261 asks for, not 200.
 */
class RequestScreenTest {
  private static final AtomicInteger CALLS = new AtomicInteger();

  private SipStackService stack;
  private int port;

  @BeforeEach
  void start() throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      port = probe.getLocalPort();
    }
    stack =
        new SipStackService(
            new SipSettings(
                List.of(
                    new ListenPoint(SipTransport.UDP, "127.0.0.1", port),
                    new ListenPoint(SipTransport.TCP, "127.0.0.1", port)),
                "Tandem-test",
                65536,
                2),
            new Readiness());
    stack.start();
  }

  @AfterEach
  void stop() {
    stack.stop();
  }

  /** A request; {@code edit} changes the text before it is sent (CRLF line ends). */
  private String request(
      WirePeer peer, String method, String firstLine, String extra, String... drop) {
    String callId = "screen-" + CALLS.incrementAndGet();
    String text =
        (firstLine != null ? firstLine : method + " sip:bob@127.0.0.1:" + port + " SIP/2.0")
            + "\n"
            + "Via: SIP/2.0/"
            + peer.via()
            + " 127.0.0.1:"
            + peer.localPort()
            + ";branch=z9hG4bK-"
            + callId
            + "\n"
            + "Max-Forwards: 70\n"
            + "From: <sip:pat@127.0.0.1>;tag=p1\n"
            + "To: <sip:bob@127.0.0.1>\n"
            + "Call-ID: "
            + callId
            + "\n"
            + "CSeq: 1 "
            + method
            + "\n"
            + "Contact: <sip:pat@127.0.0.1:"
            + peer.localPort()
            + ">\n"
            + extra
            + "Content-Length: 0\n\n";
    for (String header : drop) {
      text = text.replaceAll("(?m)^" + header + ":.*\n", "");
    }
    return text.replace("\n", "\r\n");
  }

  private String answer(Transport transport, String method, String firstLine, String extra)
      throws Exception {
    return answerWithout(transport, method, firstLine, extra);
  }

  private String answerWithout(
      Transport transport, String method, String firstLine, String extra, String... drop)
      throws Exception {
    try (WirePeer peer = new WirePeer(transport, port)) {
      peer.send(request(peer, method, firstLine, extra, drop));
      String response = peer.receive(3000);
      assertThat(response).as("an answer over %s", transport).isNotNull();
      return response;
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPlainOptionsIsAnswered200(Transport transport) throws Exception {
    assertThat(WirePeer.status(answer(transport, "OPTIONS", null, ""))).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aKeepaliveOptionsWithoutMaxForwardsIsAnswered200(Transport transport) throws Exception {
    // Kamailio's usrloc keepalives (ka_mode) carry no Max-Forwards; a registrar that gets no
    // answer drops the binding
    assertThat(WirePeer.status(answerWithout(transport, "OPTIONS", null, "", "Max-Forwards")))
        .isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anUnknownRequestUriSchemeIs416(Transport transport) throws Exception {
    // RFC 3261 §8.2.2.1; RFC 4475 §3.3.2 (unknown scheme)
    String response =
        answer(
            transport, "OPTIONS", "OPTIONS nobodyknowsthisscheme:totallyopaquecontent SIP/2.0", "");
    assertThat(WirePeer.status(response)).isEqualTo(416);
    assertThat(
            WirePeer.status(answer(transport, "OPTIONS", "OPTIONS tel:+15555550100 SIP/2.0", "")))
        .isEqualTo(416);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anotherSipVersionIs505(Transport transport) throws Exception {
    // RFC 3261 §21.5.6; RFC 4475 §3.3.14 (SIP/7.0)
    String response = answer(transport, "OPTIONS", "OPTIONS sip:t.watson@127.0.0.1 SIP/7.0", "");
    assertThat(WirePeer.status(response)).isEqualTo(505);
    assertThat(response).contains("SIP/7.0 not supported");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anUnknownRequireIs420WithUnsupported(Transport transport) throws Exception {
    // RFC 3261 §8.2.2.3; RFC 4475 §3.3.8 (unknown Require)
    String response =
        answer(
            transport,
            "OPTIONS",
            null,
            "Require: nothingSupportsThis, nothingSupportsThisEither\n");
    assertThat(WirePeer.status(response)).isEqualTo(420);
    assertThat(response)
        .containsIgnoringCase("Unsupported: nothingSupportsThis,nothingSupportsThisEither");
    assertThat(WirePeer.status(answer(transport, "OPTIONS", null, "Require: timer\n")))
        .isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRequireOnAnUnhandledMethodIsStill420(Transport transport) throws Exception {
    assertThat(WirePeer.status(answer(transport, "INFO", null, "Require: foo\n"))).isEqualTo(420);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void duplicatedOnceOnlyHeadersAre400(Transport transport) throws Exception {
    // RFC 3261 §7.3.1, §20; RFC 4475 §3.1.2.19 (two From), §3.3.1 (two Call-ID)
    for (String extra :
        List.of(
            "From: <sip:mallory@127.0.0.1>;tag=m1\n",
            "To: <sip:eve@127.0.0.1>\n",
            "Call-ID: another-one\n",
            "i: compact-form-call-id\n",
            "CSeq: 2 OPTIONS\n",
            "Max-Forwards: 10\n")) {
      String response = answer(transport, "OPTIONS", null, extra);
      assertThat(WirePeer.status(response)).as(extra).isEqualTo(400);
      assertThat(response).contains("more than one");
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anInviteWithoutContactIs400MissingContact(Transport transport) throws Exception {
    // RFC 3261 §8.1.1.8
    String response = answerWithout(transport, "INVITE", null, "", "Contact");
    assertThat(response).startsWith("SIP/2.0 400 Missing Contact");
  }
}

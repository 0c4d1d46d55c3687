package dev.tandem.sip.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.call.RawSipPeer.Message;
import dev.tandem.sip.stack.SipStackService;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The B2BUA adapter on the real JAIN-SIP stack (loopback), against a raw-text SIP peer: what goes
 * on the wire for each core command and which core events each SIP message becomes.
 */
class SipCallsAdapterTest {
  private static final String OFFER =
      "v=0\r\no=pat 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
  private static final String ANSWER =
      OFFER.replace("pat 1 1", "tandem 2 2").replace("6000", "7000");

  private SipStackService stack;
  private SipCalls calls;
  private SignalingLoop loop;
  private RawSipPeer peer;
  private int port;
  private final BlockingQueue<Object[]> incoming = new LinkedBlockingQueue<>();
  private final BlockingQueue<SipLegEvent> events = new LinkedBlockingQueue<>();
  private volatile CountDownLatch holdIncoming;

  @BeforeEach
  void start() throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      port = probe.getLocalPort();
    }
    SipSettings settings =
        new SipSettings(
            List.of(
                new ListenPoint(SipTransport.UDP, "127.0.0.1", port),
                new ListenPoint(SipTransport.TCP, "127.0.0.1", port)),
            "Tandem-test",
            65536,
            4);
    stack = new SipStackService(settings, new Readiness());
    loop = new SignalingLoop();
    calls =
        new SipCalls(
            stack, stack.messages(), Duration.ofSeconds(4), Duration.ofSeconds(2), loop, loop);
    stack.handle(calls.handlers(), calls);
    calls.connect(
        (invite, leg) -> {
          incoming.add(new Object[] {invite, leg});
          CountDownLatch hold = holdIncoming;
          if (hold != null) {
            // core still deciding when the CANCEL comes: it may not be lost meanwhile
            try {
              hold.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return events::add;
        });
    stack.start();
    peer = new RawSipPeer();
  }

  @AfterEach
  void stop() {
    peer.close();
    stack.stop();
    loop.close();
  }

  private String invite(String callId, int cseq, String toTag, String body) {
    return "INVITE sip:bob@127.0.0.1:"
        + port
        + " SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + peer.port()
        + ";branch=z9hG4bK-"
        + callId
        + cseq
        + "\n"
        + "Max-Forwards: 70\n"
        + "From: \"Pat\" <sip:pat@127.0.0.1:"
        + peer.port()
        + ">;tag=pat1\n"
        + "To: <sip:bob@127.0.0.1:"
        + port
        + ">"
        + (toTag == null ? "" : ";tag=" + toTag)
        + "\n"
        + "Call-ID: "
        + callId
        + "\n"
        + "CSeq: "
        + cseq
        + " INVITE\n"
        + "Contact: <sip:pat@127.0.0.1:"
        + peer.port()
        + ">\n"
        + (body.isEmpty() ? "" : "Content-Type: application/sdp\n")
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\n\n"
        + body;
  }

  private String inDialog(String method, String callId, int cseq, String toTag, String branch) {
    return method
        + " sip:bob@127.0.0.1:"
        + port
        + " SIP/2.0\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + peer.port()
        + ";branch=z9hG4bK-"
        + branch
        + "\n"
        + "Max-Forwards: 70\n"
        + "From: \"Pat\" <sip:pat@127.0.0.1:"
        + peer.port()
        + ">;tag=pat1\n"
        + "To: <sip:bob@127.0.0.1:"
        + port
        + ">"
        + (toTag == null ? "" : ";tag=" + toTag)
        + "\n"
        + "Call-ID: "
        + callId
        + "\n"
        + "CSeq: "
        + cseq
        + " "
        + method
        + "\n"
        + "Content-Length: 0\n\n";
  }

  private Object[] nextIncoming() throws InterruptedException {
    Object[] next = incoming.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("core got the INVITE").isNotNull();
    return next;
  }

  private SipLegEvent nextEvent() throws InterruptedException {
    SipLegEvent event = events.poll(5, TimeUnit.SECONDS);
    assertThat(event).as("a leg event").isNotNull();
    return event;
  }

  @Test
  void anInviteGets100AtOnceThen180And200WithTheCoresAnswerAndABye() throws Exception {
    peer.send(invite("in-1", 1, null, OFFER), port);
    assertThat(peer.receive().status()).isEqualTo(100);
    Object[] got = nextIncoming();
    InboundInvite invite = (InboundInvite) got[0];
    InboundLeg leg = (InboundLeg) got[1];
    assertThat(invite.toUser()).isEqualTo("bob");
    assertThat(invite.fromDisplay()).isEqualTo("Pat");
    assertThat(invite.sdp()).contains(OFFER);

    leg.ringing();
    Message ringing = peer.receive(m -> m.isResponse() && m.status() == 180);
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.toTag())
        .as("one To tag for the whole dialog")
        .isEqualTo(ringing.toTag())
        .isNotBlank();
    assertThat(ok.header("Content-Type")).isEqualTo("application/sdp");
    assertThat(ok.body()).isEqualTo(ANSWER);
    assertThat(ok.header("Contact")).contains("127.0.0.1:" + port);
    peer.send(inDialog("ACK", "in-1", 1, ok.toTag(), "ack1"), port);

    // a re-INVITE (hold): 100 at once, core gets the offer and answers it in a 200
    String hold = OFFER.replace("a=rtpmap", "a=sendonly\r\na=rtpmap");
    peer.send(invite("in-1", 2, ok.toTag(), hold), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("2 INVITE")).status())
        .isEqualTo(100);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Reinvite(hold));
    leg.acceptReinvite(ANSWER.replace("a=rtpmap", "a=recvonly\r\na=rtpmap"));
    Message reOk =
        peer.receive(
            m -> m.isResponse() && m.status() == 200 && m.header("CSeq").equals("2 INVITE"));
    assertThat(reOk.body()).contains("a=recvonly");
    assertThat(reOk.toTag()).isEqualTo(ok.toTag());
    peer.send(inDialog("ACK", "in-1", 2, ok.toTag(), "ack2"), port);
    // one without SDP wants our offer in the 200 (RFC 3264 §8: our session, unchanged, o= and
    // all); its ACK answers: the same media as before is a refresh that core never hears of ...
    peer.send(invite("in-1", 4, ok.toTag(), ""), port);
    Message offered =
        peer.receive(m -> m.isResponse() && m.status() >= 200 && m.header("CSeq").startsWith("4 "));
    assertThat(offered.status()).isEqualTo(200);
    assertThat(offered.body()).isEqualTo(reOk.body());
    peer.send(withSdp(inDialog("ACK", "in-1", 4, ok.toTag(), "ack4"), hold), port);
    // ... and a changed answer goes to core, which makes the media follow it
    // (the ACK and this re-INVITE may reach the call in either order: until the ACK has answered
    // the last offer, the bridge says 491 and the peer tries again, as RFC 3261 §14.1 has it)
    int cseq = 5;
    Message offeredAgain = null;
    for (; cseq < 15; cseq++) {
      int sent = cseq;
      peer.send(invite("in-1", sent, ok.toTag(), ""), port);
      offeredAgain =
          peer.receive(
              m -> m.isResponse() && m.status() >= 200 && m.header("CSeq").startsWith(sent + " "));
      if (offeredAgain.status() != 491) { // Request Pending
        break;
      }
      // a non-2xx is ACKed within its transaction (RFC 3261 §17.1.1.3: the INVITE's branch), else
      // the pending transaction itself makes the next re-INVITE meet 491
      peer.send(inDialog("ACK", "in-1", sent, ok.toTag(), "in-1" + sent), port);
      Thread.sleep(50);
    }
    assertThat(offeredAgain.status()).isEqualTo(200);
    assertThat(offeredAgain.body()).isEqualTo(reOk.body());
    String moved = hold.replace("6000", "6100");
    peer.send(withSdp(inDialog("ACK", "in-1", cseq, ok.toTag(), "ack5"), moved), port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.AnswerInAck(Optional.of(moved)));

    // UPDATE (RFC 3311) with an offer goes the same way, without 100; without SDP it is a refresh
    String update =
        inDialog("UPDATE", "in-1", 16, ok.toTag(), "upd6")
            .replace(
                "Content-Length: 0\n\n",
                "Content-Type: application/sdp\nContent-Length: "
                    + OFFER.getBytes(StandardCharsets.UTF_8).length
                    + "\n\n"
                    + OFFER);
    peer.send(update, port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Reinvite(OFFER));
    leg.acceptReinvite(ANSWER);
    Message updated = peer.receive(m -> m.isResponse() && m.header("CSeq").equals("16 UPDATE"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body()).isEqualTo(ANSWER);
    peer.send(inDialog("UPDATE", "in-1", 17, ok.toTag(), "upd7"), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("17 UPDATE")).status())
        .isEqualTo(200);

    // and the bridge's own re-INVITE (the browser resumes): the peer's 2xx is ACKed
    leg.reinvite(OFFER);
    Message ours = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(ours.toTag()).as("in the dialog").isNotBlank();
    assertThat(ours.body()).isEqualTo(OFFER);
    assertThat(ours.header("Contact")).contains("127.0.0.1:" + port);
    peer.send(
        RawSipPeer.response(
            ours, 200, "OK", null, "Contact: <sip:pat@127.0.0.1:" + peer.port() + ">", ANSWER),
        port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.ReinviteAnswered(ANSWER));
    assertThat(peer.receive(m -> !m.isResponse() && m.method().equals("ACK")).header("CSeq"))
        .isEqualTo(ours.header("CSeq").replace("INVITE", "ACK"));

    peer.send(inDialog("BYE", "in-1", 18, ok.toTag(), "bye1"), port);
    assertThat(peer.receive(m -> m.isResponse() && m.method().equals("BYE")).status())
        .isEqualTo(200);
    assertThat(nextEvent()).isInstanceOf(SipLegEvent.Bye.class);
  }

  private String info(String callId, int cseq, String toTag, String type, String body) {
    return inDialog("INFO", callId, cseq, toTag, "info" + cseq)
        .replace(
            "Content-Length: 0\n\n",
            "Content-Type: "
                + type
                + "\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length
                + "\n\n"
                + body);
  }

  @Test
  void dtmfGoesOutAsOneInfoPerDigitAndInfoFromThePeerReachesCore() throws Exception {
    peer.send(invite("in-dtmf", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "in-dtmf", 1, ok.toTag(), "ackd"), port);

    long start = System.nanoTime();
    leg.dtmf("1,#", java.time.Duration.ofMillis(100));
    Message one = peer.receive(m -> !m.isResponse() && m.method().equals("INFO"));
    assertThat(one.header("Content-Type")).isEqualTo("application/dtmf-relay");
    assertThat(one.body()).isEqualTo("Signal=1\r\nDuration=100\r\n");
    peer.send(RawSipPeer.response(one, 200, "OK", null, "", ""), port);
    Message hash = peer.receive(m -> !m.isResponse() && m.method().equals("INFO"));
    assertThat(hash.body()).startsWith("Signal=#");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("a tone, a gap and the ',' pause between the two")
        .isGreaterThanOrEqualTo(600);
    assertThat(SipCallsAdapterTest.cseq(hash)).isGreaterThan(SipCallsAdapterTest.cseq(one));
    peer.send(RawSipPeer.response(hash, 200, "OK", null, "", ""), port);

    peer.send(
        info("in-dtmf", 2, ok.toTag(), "application/dtmf-relay", "Signal= 5\r\nDuration= 160\r\n"),
        port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("2 INFO")).status())
        .isEqualTo(200);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Dtmf('5', java.time.Duration.ofMillis(160)));
    peer.send(info("in-dtmf", 3, ok.toTag(), "application/dtmf", "11"), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("3 INFO")).status())
        .isEqualTo(200);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Dtmf('#', java.time.Duration.ofMillis(100)));

    peer.send(info("in-dtmf", 4, ok.toTag(), "text/plain", "5"), port);
    Message unsupported = peer.receive(m -> m.isResponse() && m.header("CSeq").equals("4 INFO"));
    assertThat(unsupported.status()).isEqualTo(415);
    assertThat(unsupported.header("Accept")).contains("application/dtmf-relay");
    peer.send(info("in-dtmf", 5, ok.toTag(), "application/dtmf-relay", "Signal=x\r\n"), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("5 INFO")).status())
        .isEqualTo(400);
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("nothing for bad INFO").isNull();
  }

  private static final String FAST_UPDATE =
      "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n<media_control><vc_primitive>"
          + "<to_encoder><picture_fast_update></picture_fast_update></to_encoder>"
          + "</vc_primitive></media_control>\r\n";

  @Test
  void keyFramesAreAskedForByInfoPictureFastUpdateBothWaysAndARefusalReachesCore()
      throws Exception {
    peer.send(invite("in-pfu", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "in-pfu", 1, ok.toTag(), "ackp"), port);

    leg.requestKeyframe();
    Message ours = peer.receive(m -> !m.isResponse() && m.method().equals("INFO"));
    assertThat(ours.header("Content-Type")).isEqualTo("application/media_control+xml");
    assertThat(ours.body())
        .contains("<media_control>")
        .contains("<to_encoder>")
        .contains("<picture_fast_update/>");
    peer.send(RawSipPeer.response(ours, 200, "OK", null, "", ""), port);
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("a 2xx is not reported").isNull();
    leg.requestKeyframe();
    Message again = peer.receive(m -> !m.isResponse() && m.method().equals("INFO"));
    peer.send(RawSipPeer.response(again, 415, "Unsupported Media Type", null, "", ""), port);
    assertThat(nextEvent())
        .isEqualTo(new SipLegEvent.KeyframeRequestRefused(415, "Unsupported Media Type"));

    peer.send(info("in-pfu", 2, ok.toTag(), "application/media_control+xml", FAST_UPDATE), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("2 INFO")).status())
        .isEqualTo(200);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.KeyframeWanted());
    peer.send(
        info(
            "in-pfu",
            3,
            ok.toTag(),
            "application/media_control+xml",
            "<media_control><general_error>oops</general_error></media_control>"),
        port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("3 INFO")).status())
        .as("another primitive: taken, nothing to do")
        .isEqualTo(200);
    peer.send(
        info("in-pfu", 4, ok.toTag(), "application/media_control+xml", "<html>no</html>"), port);
    assertThat(peer.receive(m -> m.isResponse() && m.header("CSeq").equals("4 INFO")).status())
        .isEqualTo(400);
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("nothing for those").isNull();
  }

  private static int cseq(Message request) {
    return Integer.parseInt(request.header("CSeq").split(" ")[0]);
  }

  @Test
  void aCancelWhileRingingGets200And487AndReachesCore() throws Exception {
    peer.send(invite("in-2", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.ringing();
    peer.receive(m -> m.isResponse() && m.status() == 180);
    String cancel =
        inDialog("CANCEL", "in-2", 1, null, "in-21"); // same branch as the INVITE (RFC 3261 §9.1)
    peer.send(cancel, port);
    Message cancelOk = peer.receive(m -> m.isResponse() && m.method().equals("CANCEL"));
    assertThat(cancelOk.status()).isEqualTo(200);
    Message terminated =
        peer.receive(m -> m.isResponse() && m.method().equals("INVITE") && m.status() >= 200);
    assertThat(terminated.status()).isEqualTo(487);
    assertThat(nextEvent()).isInstanceOf(SipLegEvent.Cancelled.class);
  }

  /**
   * A CANCEL that arrives while core is still taking the INVITE in is not lost: before the legs had
   * one owner it reached the leg before core listened, went to a no-op listener, and the browsers
   * rang a cancelled call until the ring timeout.
   */
  @Test
  void aCancelArrivingBeforeCoreListensStillReachesCore() throws Exception {
    CountDownLatch cancelAnswered = new CountDownLatch(1);
    holdIncoming = cancelAnswered;
    peer.send(invite("in-race", 1, null, OFFER), port);
    nextIncoming();
    peer.send(inDialog("CANCEL", "in-race", 1, null, "in-race1"), port);
    Message cancelOk = peer.receive(m -> m.isResponse() && m.method().equals("CANCEL"));
    cancelAnswered.countDown();
    assertThat(cancelOk.status()).isEqualTo(200);
    assertThat(
            peer.receive(m -> m.isResponse() && m.method().equals("INVITE") && m.status() >= 200)
                .status())
        .isEqualTo(487);
    assertThat(events.poll(5, TimeUnit.SECONDS)).isInstanceOf(SipLegEvent.Cancelled.class);
  }

  /** {@code message} (without a body) with {@code sdp} as its body. */
  private static String withSdp(String message, String sdp) {
    return message.replace(
        "Content-Length: 0\n\n",
        "Content-Type: application/sdp\nContent-Length: "
            + sdp.getBytes(StandardCharsets.UTF_8).length
            + "\n\n"
            + sdp);
  }

  /** A late offer (RFC 3261 §13.2.1): core's offer goes in the 200, the ACK's answer to core. */
  @Test
  void anInviteWithoutSdpGetsCoresOfferInThe200AndTheAcksAnswerReachesCore() throws Exception {
    peer.send(invite("in-3", 1, null, ""), port);
    assertThat(peer.receive().status()).isEqualTo(100);
    Object[] got = nextIncoming();
    assertThat(((InboundInvite) got[0]).sdp()).isEmpty();
    InboundLeg leg = (InboundLeg) got[1];
    leg.ringing();
    peer.receive(m -> m.isResponse() && m.status() == 180);
    leg.offer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.header("Content-Type")).isEqualTo("application/sdp");
    assertThat(ok.body()).isEqualTo(ANSWER);
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("nothing before the ACK").isNull();
    peer.send(withSdp(inDialog("ACK", "in-3", 1, ok.toTag(), "ack3"), OFFER), port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.AnswerInAck(Optional.of(OFFER)));

    // the dialog stands on that offer/answer: a re-INVITE without SDP gets the same offer again
    peer.send(invite("in-3", 2, ok.toTag(), ""), port);
    Message again =
        peer.receive(m -> m.isResponse() && m.status() >= 200 && m.header("CSeq").startsWith("2 "));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(ANSWER);
    peer.send(withSdp(inDialog("ACK", "in-3", 2, ok.toTag(), "ack32"), OFFER), port);
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("the same answer: a refresh").isNull();
  }

  @Test
  void anAckWithoutTheAnswerToALateOfferReachesCoreAsNone() throws Exception {
    peer.send(invite("in-4", 1, null, ""), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.offer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "in-4", 1, ok.toTag(), "ack4"), port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.AnswerInAck(Optional.empty()));
    leg.bye();
    assertThat(peer.receive(m -> !m.isResponse() && m.method().equals("BYE"))).isNotNull();
  }

  private Destination destination(Optional<Destination.DigestCredentials> credentials) {
    return new Destination("pbx", "127.0.0.1", peer.port(), Destination.Transport.UDP, credentials);
  }

  @Test
  void anOutboundInviteGoesOutAndItsResponsesBecomeCoreEvents() throws Exception {
    BlockingQueue<Map<String, String>> logging = new LinkedBlockingQueue<>();
    calls.invite(
        new OutboundInvite(
            new CallId("c1"), destination(Optional.empty()), "sip:1000@127.0.0.1", "alice", OFFER),
        event -> {
          logging.add(MDC.getCopyOfContextMap());
          events.add(event);
        });
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    // from the listening port: peers that answer to where a request came from (SIPp, NATs) must
    // reach the bridge (RFC 3581 §4)
    assertThat(peer.lastSourcePort()).isEqualTo(port);
    assertThat(invite.firstLine()).isEqualTo("INVITE sip:1000@127.0.0.1 SIP/2.0");
    assertThat(invite.header("From")).contains("sip:alice@");
    assertThat(invite.header("Route")).contains("127.0.0.1:" + peer.port()).contains(";lr");
    assertThat(invite.body()).isEqualTo(OFFER);

    peer.send(RawSipPeer.response(invite, 180, "Ringing", "pbx1", "", ""), port);
    assertThat(nextEvent())
        .isEqualTo(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    peer.send(
        RawSipPeer.response(
            invite, 200, "OK", "pbx1", "Contact: <sip:1000@127.0.0.1:" + peer.port() + ">", ANSWER),
        port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Answered(ANSWER));
    Message ack = peer.receive(m -> !m.isResponse() && m.method().equals("ACK"));
    assertThat(ack.header("CSeq")).isEqualTo("1 ACK");
    // core hears each event with both ids in the logging context, so its lines carry them too
    assertThat(logging.poll(1, TimeUnit.SECONDS))
        .containsEntry("callId", "c1")
        .containsEntry("sipCallId", invite.header("Call-ID"));

    // the called side's re-INVITE without SDP: our offer (the INVITE's, unchanged) in the 200, and
    // a changed answer in its ACK reaches core
    String peerRequest =
        " sip:alice@127.0.0.1:"
            + port
            + " SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:"
            + peer.port()
            + ";branch=z9hG4bK-%s\nMax-Forwards: 70\nFrom: <sip:1000@127.0.0.1>;tag=pbx1\nTo: "
            + invite.header("From")
            + "\nCall-ID: "
            + invite.header("Call-ID")
            + "\nCSeq: 1 %s\nContact: <sip:1000@127.0.0.1:"
            + peer.port()
            + ">\nContent-Length: 0\n\n";
    peer.send("INVITE" + peerRequest.formatted("re1", "INVITE"), port);
    Message offered =
        peer.receive(
            m -> m.isResponse() && m.status() >= 200 && m.header("CSeq").equals("1 INVITE"));
    assertThat(offered.status()).isEqualTo(200);
    assertThat(offered.body()).isEqualTo(OFFER);
    String moved = ANSWER.replace("7000", "7100");
    peer.send(withSdp("ACK" + peerRequest.formatted("re1ack", "ACK"), moved), port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.AnswerInAck(Optional.of(moved)));
  }

  /**
   * A destination serving a domain: the Request-URI and To carry the domain, the INVITE goes to its
   * host:port (the Route); an anonymous caller's From, Contact and identity headers (RFC 3323, RFC
   * 3325).
   */
  @Test
  void anAnonymousInviteToADomainGoesToTheNextHopWithTheIdentityOnlyInPai() throws Exception {
    calls.invite(
        new OutboundInvite(
            new CallId("c-anon"),
            destination(Optional.empty()),
            "sip:5551234@carrier.test",
            "alice",
            new dev.tandem.core.sip.CallerId(
                Optional.of("Alice"),
                "+15551230001",
                Optional.of("carrier.test"),
                dev.tandem.core.sip.TrunkIdentity.IdentityHeader.PAI,
                true),
            OFFER),
        events::add);
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.firstLine()).isEqualTo("INVITE sip:5551234@carrier.test SIP/2.0");
    assertThat(invite.header("To")).isEqualTo("<sip:5551234@carrier.test>");
    assertThat(invite.header("From")).startsWith("\"Anonymous\" <sip:anonymous@anonymous.invalid>");
    assertThat(invite.header("P-Asserted-Identity"))
        .isEqualTo("\"Alice\" <sip:+15551230001@carrier.test>");
    assertThat(invite.header("Privacy")).isEqualTo("id");
    assertThat(invite.header("Contact")).doesNotContain("alice");
    assertThat(invite.header("Route")).contains("127.0.0.1:" + peer.port()).contains(";lr");
  }

  /**
   * An INVITE to a TCP destination: the peer answers on the connection the INVITE came on (RFC 3261
   * §18.2.2), and the answer reaches core.
   */
  @Test
  void anInviteOverTcpIsAnsweredOnItsConnection() throws Exception {
    try (java.net.ServerSocket server =
        new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(5000);
      calls.invite(
          new OutboundInvite(
              new CallId("tcp1"),
              new Destination(
                  "pbx-tcp",
                  "127.0.0.1",
                  server.getLocalPort(),
                  Destination.Transport.TCP,
                  Optional.empty()),
              "sip:1000@127.0.0.1",
              "alice",
              OFFER),
          events::add);
      try (java.net.Socket connection = server.accept()) {
        connection.setSoTimeout(5000);
        java.io.InputStream in = connection.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
          int c = in.read();
          assertThat(c).as("the INVITE, before the connection closed: " + head).isNotNegative();
          head.append((char) c);
        }
        Matcher length =
            Pattern.compile("Content-Length: *(\\d+)", Pattern.CASE_INSENSITIVE).matcher(head);
        assertThat(length.find()).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(length.group(1)));
        Message invite = RawSipPeer.parse(head + new String(body, StandardCharsets.UTF_8));
        assertThat(invite.firstLine()).startsWith("INVITE ");
        String ok =
            RawSipPeer.response(
                invite,
                200,
                "OK",
                "pbx1",
                "Contact: <sip:1000@127.0.0.1:" + server.getLocalPort() + ";transport=tcp>",
                ANSWER);
        connection.getOutputStream().write(ok.getBytes(StandardCharsets.UTF_8));
        connection.getOutputStream().flush();
        assertThat(nextEvent()).isEqualTo(new SipLegEvent.Answered(ANSWER));
      }
    }
  }

  @Test
  void aReliable183IsPrackedOnceAndItsEarlyMediaReachesCore() throws Exception {
    calls.invite(
        new OutboundInvite(
            new CallId("c100rel"),
            destination(Optional.empty()),
            "sip:1000@127.0.0.1",
            "alice",
            OFFER),
        events::add);
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.header("Supported")).contains("100rel");
    String reliable =
        RawSipPeer.response(
            invite,
            183,
            "Session Progress",
            "pbx9",
            "Contact: <sip:1000@127.0.0.1:" + peer.port() + ">\r\nRequire: 100rel\r\nRSeq: 1",
            ANSWER);
    peer.send(reliable, port);
    Message prack = peer.receive(m -> !m.isResponse() && m.method().equals("PRACK"));
    assertThat(prack.header("RAck")).isEqualTo("1 1 INVITE");
    assertThat(nextEvent())
        .isEqualTo(new SipLegEvent.Provisional(183, "Session Progress", Optional.of(ANSWER)));
    peer.send(RawSipPeer.response(prack, 200, "OK", null, "", ""), port);
    peer.send(reliable, port); // a retransmission: acknowledged already
    assertThat(events.poll(500, TimeUnit.MILLISECONDS)).as("no second early-media event").isNull();
  }

  @Test
  void aLargeInviteToAUdpDestinationStaysOnUdp() throws Exception {
    // over 1300 bytes, to a destination configured as UDP: no TCP attempt (RFC 3263 §4.1)
    String big = OFFER + "a=x-padding:" + "p".repeat(1500) + "\r\n";
    calls.invite(
        new OutboundInvite(
            new CallId("c2"), destination(Optional.empty()), "sip:1000@127.0.0.1", "alice", big),
        events::add);
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.raw().length()).isGreaterThan(1300);
    assertThat(invite.body()).isEqualTo(big);
    assertThat(invite.header("Via")).startsWith("SIP/2.0/UDP");
  }

  @Test
  void a407IsAnsweredOnceWithTheDestinationsDigestCredentials() throws Exception {
    calls.invite(
        new OutboundInvite(
            new CallId("c3"),
            destination(
                Optional.of(new Destination.DigestCredentials("trunkuser", "trunk-secret"))),
            "sip:9012345@127.0.0.1",
            "alice",
            OFFER),
        events::add);
    Message first = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    String challenge =
        "Proxy-Authenticate: Digest realm=\"trunk.test\", nonce=\"abc123\", algorithm=MD5";
    peer.send(
        RawSipPeer.response(first, 407, "Proxy Authentication Required", "t1", challenge, ""),
        port);
    Message ack = peer.receive(m -> !m.isResponse() && m.method().equals("ACK"));
    assertThat(ack.header("CSeq")).isEqualTo("1 ACK");
    Message second = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(second.header("CSeq")).isEqualTo("2 INVITE");
    String auth = second.header("Proxy-Authorization");
    assertThat(auth)
        .startsWith("Digest ")
        .contains("username=\"trunkuser\"")
        .contains("realm=\"trunk.test\"");
    // RFC 2617 §3.2.2 without qop: MD5(MD5(user:realm:pass):nonce:MD5(method:uri))
    Matcher uri = Pattern.compile("uri=\"([^\"]+)\"").matcher(auth);
    Matcher response = Pattern.compile("response=\"([0-9a-f]{32})\"").matcher(auth);
    assertThat(uri.find() && response.find()).isTrue();
    String ha1 = md5("trunkuser:trunk.test:trunk-secret");
    String ha2 = md5("INVITE:" + uri.group(1));
    assertThat(response.group(1)).isEqualTo(md5(ha1 + ":abc123:" + ha2));

    // a second challenge is not answered again: the call fails with it
    peer.send(
        RawSipPeer.response(second, 407, "Proxy Authentication Required", "t2", challenge, ""),
        port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Failed(407, "Proxy Authentication Required"));
  }

  private static String md5(String text) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  // --- session timers (RFC 4028), here 4 s proposed, Min-SE 2 s ---------------------------------

  private String timedInvite(String callId, String headers) {
    return invite(callId, 1, null, OFFER)
        .replace("Max-Forwards: 70\n", "Max-Forwards: 70\n" + headers);
  }

  @Test
  void anIntervalBelowMinSeIsRefusedWith422() throws Exception {
    peer.send(timedInvite("st-small", "Supported: timer\nSession-Expires: 1\n"), port);
    Message tooSmall = peer.receive(m -> m.isResponse() && m.status() >= 200);
    assertThat(tooSmall.status()).isEqualTo(422);
    assertThat(tooSmall.header("Min-SE")).isEqualTo("2");
    assertThat(incoming).as("core never saw it").isEmpty();
  }

  @Test
  void aCallerThatStopsRefreshingIsSentByeWhenTheSessionExpires() throws Exception {
    peer.send(
        timedInvite(
            "st-in",
            "Supported: timer\nSession-Expires: 3;refresher=uac\nAllow: INVITE, ACK, BYE, UPDATE\n"),
        port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    assertThat(ok.header("Session-Expires")).isEqualTo("3;refresher=uac");
    assertThat(ok.header("Require")).isEqualTo("timer");
    peer.send(inDialog("ACK", "st-in", 1, ok.toTag(), "ack-st"), port);

    // one refresh (an UPDATE without a body) at 1 s: the 2 s deadline moves to 3 s
    Thread.sleep(1000);
    peer.send(
        inDialog("UPDATE", "st-in", 2, ok.toTag(), "upd-st")
            .replace("Max-Forwards: 70\n", "Max-Forwards: 70\nSession-Expires: 3;refresher=uac\n"),
        port);
    Message refreshed = peer.receive(m -> m.isResponse() && m.method().equals("UPDATE"));
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.header("Session-Expires")).isEqualTo("3;refresher=uac");
    long refreshedAt = System.nanoTime();
    Message bye = peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    long afterRefresh = (System.nanoTime() - refreshedAt) / 1_000_000;
    assertThat(afterRefresh)
        .as("BYE at interval - interval/3 = 2 s after the refresh, not at the first deadline")
        .isBetween(1500L, 3500L);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.SessionExpired());
    peer.send(RawSipPeer.response(bye, 200, "OK", null, "", ""), port);
  }

  @Test
  void whenThePeerMakesUsRefresherWeSendUpdatesAndEndTheCallOn481() throws Exception {
    calls.invite(
        new OutboundInvite(
            new CallId("st-out"),
            destination(Optional.empty()),
            "sip:1000@127.0.0.1",
            "alice",
            OFFER),
        events::add);
    Message invite = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(invite.header("Session-Expires")).isEqualTo("4");
    assertThat(invite.header("Min-SE")).isEqualTo("2");
    assertThat(invite.raw()).containsPattern("Supported: [^\r]*timer");
    peer.send(
        RawSipPeer.response(
            invite,
            200,
            "OK",
            "pbx-st",
            "Contact: <sip:1000@127.0.0.1:"
                + peer.port()
                + ">\r\nSession-Expires: 2;refresher=uac\r\nRequire: timer\r\nAllow: INVITE, ACK, BYE, UPDATE",
            ANSWER),
        port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Answered(ANSWER));
    long answeredAt = System.nanoTime();
    Message update = peer.receive(m -> !m.isResponse() && m.method().equals("UPDATE"));
    assertThat((System.nanoTime() - answeredAt) / 1_000_000)
        .as("at half the interval")
        .isBetween(700L, 1800L);
    assertThat(update.header("Session-Expires")).isEqualTo("2;refresher=uac");
    assertThat(update.body()).isEmpty();
    peer.send(RawSipPeer.response(update, 200, "OK", null, "", ""), port);
    Message second = peer.receive(m -> !m.isResponse() && m.method().equals("UPDATE"));
    peer.send(
        RawSipPeer.response(second, 481, "Call/Transaction Does Not Exist", null, "", ""), port);
    peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.SessionExpired());
  }

  @Test
  void a422IsAnsweredWithTheInviteAgainAskingForThePeersMinSe() throws Exception {
    calls.invite(
        new OutboundInvite(
            new CallId("st-422"),
            destination(Optional.empty()),
            "sip:1000@127.0.0.1",
            "alice",
            OFFER),
        events::add);
    Message first = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    peer.send(
        RawSipPeer.response(first, 422, "Session Interval Too Small", "t422", "Min-SE: 600", ""),
        port);
    Message second = peer.receive(m -> !m.isResponse() && m.method().equals("INVITE"));
    assertThat(second.header("Session-Expires")).isEqualTo("600");
    assertThat(second.header("CSeq")).isEqualTo("2 INVITE");
    assertThat(second.header("Call-ID")).isEqualTo(first.header("Call-ID"));
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("no failure reached core").isNull();
  }

  @Test
  void aReinviteRepeatingTheLastOfferIsARefreshAnsweredWithoutCore() throws Exception {
    peer.send(invite("st-same", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "st-same", 1, ok.toTag(), "ack-same"), port);
    peer.send(invite("st-same", 2, ok.toTag(), OFFER), port);
    Message again =
        peer.receive(
            m -> m.isResponse() && m.status() == 200 && m.header("CSeq").equals("2 INVITE"));
    assertThat(again.body()).as("our last answer, unchanged").isEqualTo(ANSWER);
    assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("core is not asked").isNull();
  }

  @Test
  void aReofferStillWaitingForCoreGets487BeforeOurByeAndOnThePeersBye() throws Exception {
    peer.send(invite("st-487", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "st-487", 1, ok.toTag(), "ack-487"), port);
    peer.send(invite("st-487", 2, ok.toTag(), OFFER.replace("o=pat 1 1", "o=pat 1 2")), port);
    assertThat(nextEvent()).isInstanceOf(SipLegEvent.Reinvite.class);
    leg.bye();
    Message terminated =
        peer.receive(
            m -> m.isResponse() && m.status() >= 200 && m.header("CSeq").equals("2 INVITE"));
    assertThat(terminated.status()).isEqualTo(487);
    peer.receive(m -> !m.isResponse() && m.method().equals("BYE"));

    peer.send(invite("st-487b", 1, null, OFFER), port);
    InboundLeg second = (InboundLeg) nextIncoming()[1];
    second.answer(ANSWER);
    Message ok2 =
        peer.receive(
            m -> m.isResponse() && m.status() == 200 && m.header("Call-ID").equals("st-487b"));
    peer.send(inDialog("ACK", "st-487b", 1, ok2.toTag(), "ack-487b"), port);
    peer.send(invite("st-487b", 2, ok2.toTag(), OFFER.replace("o=pat 1 1", "o=pat 1 2")), port);
    assertThat(nextEvent()).isInstanceOf(SipLegEvent.Reinvite.class);
    peer.send(inDialog("BYE", "st-487b", 3, ok2.toTag(), "bye-487b"), port);
    Message terminated2 =
        peer.receive(
            m ->
                m.isResponse()
                    && m.status() >= 200
                    && m.header("Call-ID").equals("st-487b")
                    && m.header("CSeq").equals("2 INVITE"));
    assertThat(terminated2.status()).isEqualTo(487);
  }

  // --- transfer ------------------------------------------------------------------------------

  @Test
  void ourReferCarriesTheTargetAndTheNotifiesSipfragReachesCore() throws Exception {
    peer.send(invite("xfer-out", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "xfer-out", 1, ok.toTag(), "ack-x"), port);

    assertThat(leg.replacingUri())
        .hasValueSatisfying(
            uri ->
                assertThat(uri)
                    .startsWith(
                        "sip:pat@127.0.0.1:"
                            + peer.port()
                            + "?Replaces=xfer-out%3Bto-tag%3Dpat1%3Bfrom-tag%3D"
                            + ok.toTag()));
    leg.refer("sip:1001@127.0.0.1:5070");
    Message refer = peer.receive(m -> !m.isResponse() && m.method().equals("REFER"));
    assertThat(refer.header("Refer-To")).isEqualTo("<sip:1001@127.0.0.1:5070>");
    assertThat(refer.header("Referred-By")).contains("sip:bob@127.0.0.1:" + port);
    peer.send(RawSipPeer.response(refer, 202, "Accepted", null, "", ""), port);
    String notify =
        inDialog("NOTIFY", "xfer-out", 2, ok.toTag(), "ntf1")
            .replace(
                "Max-Forwards: 70\n",
                "Max-Forwards: 70\nEvent: refer\nSubscription-State: terminated;reason=noresource\n")
            .replace(
                "Content-Length: 0\n\n",
                "Content-Type: message/sipfrag;version=2.0\nContent-Length: 16\n\nSIP/2.0 200 OK\n");
    peer.send(notify, port);
    Message notifyOk = peer.receive(m -> m.isResponse() && m.method().equals("NOTIFY"));
    assertThat(notifyOk.status()).isEqualTo(200);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.TransferProgress(200, "OK"));
  }

  @Test
  void aReferFromThePeerIsAcceptedNotifiedAndHandedToCore() throws Exception {
    peer.send(invite("xfer-in", 1, null, OFFER), port);
    InboundLeg leg = (InboundLeg) nextIncoming()[1];
    leg.answer(ANSWER);
    Message ok = peer.receive(m -> m.isResponse() && m.status() == 200);
    peer.send(inDialog("ACK", "xfer-in", 1, ok.toTag(), "ack-xi"), port);
    peer.send(
        inDialog("REFER", "xfer-in", 2, ok.toTag(), "ref1")
            .replace("Max-Forwards: 70\n", "Max-Forwards: 70\nRefer-To: <sip:2000@127.0.0.1>\n"),
        port);
    Message accepted = peer.receive(m -> m.isResponse() && m.method().equals("REFER"));
    assertThat(accepted.status()).isEqualTo(202);
    Message trying = peer.receive(m -> !m.isResponse() && m.method().equals("NOTIFY"));
    assertThat(trying.header("Event")).isEqualTo("refer");
    assertThat(trying.header("Content-Type")).startsWith("message/sipfrag");
    assertThat(trying.body()).startsWith("SIP/2.0 100 Trying");
    peer.send(RawSipPeer.response(trying, 200, "OK", null, "", ""), port);
    assertThat(nextEvent()).isEqualTo(new SipLegEvent.Referred("sip:2000@127.0.0.1"));
    leg.notifyRefer(200, "OK");
    Message done = peer.receive(m -> !m.isResponse() && m.method().equals("NOTIFY"));
    assertThat(done.body()).startsWith("SIP/2.0 200 OK");
    assertThat(done.header("Subscription-State")).startsWith("terminated");
  }

  @Test
  void anInviteRequiringAnExtensionWeDoNotDoGets420() throws Exception {
    peer.send(timedInvite("req-100rel", "Require: 100rel\n"), port);
    Message bad = peer.receive(m -> m.isResponse() && m.status() >= 200);
    assertThat(bad.status()).isEqualTo(420);
    assertThat(bad.header("Unsupported")).isEqualTo("100rel");
    assertThat(incoming).isEmpty();
    peer.send(
        timedInvite("req-timer", "Supported: timer\nRequire: timer\nSession-Expires: 90\n"), port);
    assertThat(nextIncoming()).as("Require: timer is fine").isNotNull();
  }
}

package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.BrowserRequest.RejectReason;
import dev.tandem.core.browser.DtmfMethod;
import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.browser.SdpType;
import dev.tandem.core.call.SwitchboardTest.Tab;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.DialRule;
import dev.tandem.core.inbound.Cidr;
import dev.tandem.core.inbound.InboundPolicy;
import dev.tandem.core.inbound.InboundTable;
import dev.tandem.core.inbound.InboundTarget;
import dev.tandem.core.inbound.NumberPattern;
import dev.tandem.core.inbound.NumberPlan;
import dev.tandem.core.inbound.TrustedSources;
import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.MediaException;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.registrar.RegisterRequest;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.InboundLeg;
import dev.tandem.core.sip.OutboundInvite;
import dev.tandem.core.sip.OutboundLeg;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.sip.SipReasons;
import dev.tandem.core.sip.SipSide;
import dev.tandem.core.time.ManualScheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Browser ⇄ SIP calls in core: every transition and race of SipOutboundCall and SipInboundCall. */
class SipCallsTest {
  private static final String WEBRTC_OFFER =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=webrtc-offer\r\nt=0 0\r\n";
  private static final String PLAIN_ANSWER =
      "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=plain-answer\r\nt=0 0\r\n";

  private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeMedia media = new FakeMedia();
  private final FakeSip sip = new FakeSip();
  private final Destination pbx =
      new Destination("pbx", "127.0.0.1", 5070, Destination.Transport.UDP, Optional.empty());
  private final DialPlan dialPlan =
      new DialPlan(
          List.of(
              new DialRule("extensions", Pattern.compile("[0-9]{3,4}"), "pbx"),
              new DialRule("national", Pattern.compile("\\+?[0-9]{5,15}"), "pbx")),
          Map.of("pbx", pbx),
          Map.of("carol", Set.of("extensions", "national")),
          Set.of("extensions"));

  /** The standalone registrar: desk (extension 2001) is registered at two phones. */
  private final Registrar registrar =
      new Registrar(List.of(new Registrar.Account("desk", Optional.of("2001"))), 5, clock::now);

  private final Switchboard board =
      new Switchboard(
          Runnable::run,
          clock,
          new SessionSettings(Duration.ofSeconds(30), 3, 16),
          new CallSettings(Duration.ofSeconds(60), 2, Duration.ofSeconds(30)),
          sdp -> Optional.empty(),
          Optional.of(
              new Bridging(
                  dialPlan,
                  media,
                  sip,
                  registrar,
                  (user, destination) ->
                      user.equals("dave") && destination.name().equals("pbx")
                          ? Optional.of(
                              new SipIdentity(
                                  "sip:1003@pbx.test",
                                  Optional.of(
                                      new Destination.DigestCredentials("1003", "dave-secret"))))
                          : Optional.empty(),
                  DestinationHealth.ALL_UP)));

  private final CallEventLog events = new CallEventLog();

  {
    board.listen(events);
  }

  // --- registered phones and upstream identities ----------------------------------------------

  private void registerDesk() {
    registrar.register(
        "desk",
        new RegisterRequest(
            "reg-1",
            1,
            false,
            List.of(
                new RegisterRequest.ContactUpdate("sip:desk@10.0.0.1:5062", Duration.ofHours(1)),
                new RegisterRequest.ContactUpdate("sip:desk@10.0.0.2:5064", Duration.ofHours(1))),
            Destination.Transport.UDP,
            "192.0.2.7",
            5062));
  }

  @Test
  void aBrowserDiallingAnExtensionRingsEveryRegisteredContactAndTheFirstAnswerWins() {
    registerDesk();
    Tab alice = open("alice");
    CallId id = call(alice, "2001");
    media.complete(0, "plain-offer");
    assertThat(sip.invites)
        .extracting(OutboundInvite::requestUri)
        .containsExactly("sip:desk@10.0.0.1:5062", "sip:desk@10.0.0.2:5064");
    assertThat(sip.invites)
        .allSatisfy(i -> assertThat(i.destination().host()).isEqualTo("192.0.2.7"));
    sip.listeners.get(1).on(new SipLegEvent.Answered(PLAIN_ANSWER));
    assertThat(sip.legs.get(0).cancels).as("the other phone stops ringing").isEqualTo(1);
    media.complete(1, "webrtc-answer");
    assertThat(alice.all(BrowserEvent.Answered.class)).hasSize(1);
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(sip.legs.get(1).byes).isEqualTo(1);
    assertThat(sip.legs.get(0).byes).isZero();
    assertNothingLeft();
  }

  @Test
  void anAccountWithNoRegistrationIsUnavailable() {
    Tab alice = open("alice");
    call(alice, "desk");
    media.complete(0, "plain-offer");
    assertThat(sip.invites).isEmpty();
    assertThat(alice.endReason()).isEqualTo(EndReason.UNAVAILABLE);
    assertNothingLeft();
  }

  // --- issue 15: the SIP side's media policy ---

  @Test
  void aCallFollowsItsDestinationsMediaPolicyAndFailsReadablyWithoutSrtp() {
    board.encryptSipMedia(
        new dev.tandem.core.media.SipMediaPolicy(
            Map.of("pbx", dev.tandem.sdp.translate.MediaEncryption.SDES_REQUIRED),
            Map.of(),
            dev.tandem.sdp.translate.MediaEncryption.SDES_PREFERRED));
    Tab alice = open("alice");
    call(alice, "555");
    media.complete(0, "plain-offer");
    assertThat(media.encryptions)
        .containsExactly(dev.tandem.sdp.translate.MediaEncryption.SDES_REQUIRED);
    sip.listeners.get(0).on(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.fail(
        1,
        new MediaException(
            "no SRTP in the answer (RTP/AVP), but media-encryption is sdes-required", true, null));
    assertThat(alice.endReason()).isEqualTo(EndReason.FAILED);
    assertThat(alice.all(BrowserEvent.Ended.class).get(0).sipReason())
        .contains("no SRTP in the answer (RTP/AVP), but media-encryption is sdes-required");
    assertThat(sip.legs.get(0).byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aCallToARegisteredPhoneFollowsTheRegistrarsMediaPolicy() {
    board.encryptSipMedia(
        new dev.tandem.core.media.SipMediaPolicy(
            Map.of(), Map.of(), dev.tandem.sdp.translate.MediaEncryption.SDES_PREFERRED));
    registerDesk();
    call(open("alice"), "2001");
    assertThat(media.encryptions)
        .containsExactly(dev.tandem.sdp.translate.MediaEncryption.SDES_PREFERRED);
  }

  @Test
  void anAckWithoutAnswerBetweenPhonesEndsTheCallOnBothSides() {
    registerDesk();
    FakeInboundLeg caller = new FakeInboundLeg();
    SipLegListener fromCaller =
        board.incoming(
            new InboundInvite(
                "sip-call-9", "sip:1001@127.0.0.1", null, "2001", Optional.of("caller-offer")),
            caller);
    sip.listeners.get(0).on(new SipLegEvent.Answered("callee-answer"));
    fromCaller.on(new SipLegEvent.AnswerInAck(Optional.empty()));
    assertThat(caller.byes).isEqualTo(1);
    assertThat(sip.legs.get(0).byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aPhoneCallingAnotherAccountIsBridgedSipToSipWithTheSdpUnchanged() {
    registerDesk();
    FakeInboundLeg caller = new FakeInboundLeg();
    SipLegListener fromCaller =
        board.incoming(
            new InboundInvite(
                "sip-call-9", "sip:1001@127.0.0.1", null, "2001", Optional.of("caller-offer")),
            caller);
    assertThat(media.calls).as("no media backend: the phones talk directly").isEmpty();
    assertThat(sip.invites).extracting(OutboundInvite::sdp).containsOnly("caller-offer");
    assertThat(sip.invites).extracting(OutboundInvite::fromUser).containsOnly("1001");
    sip.listeners.get(0).on(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    assertThat(caller.ringing).isEqualTo(1);
    sip.listeners.get(0).on(new SipLegEvent.Answered("callee-answer"));
    assertThat(caller.answers).containsExactly("callee-answer");
    assertThat(sip.legs.get(1).cancels).isEqualTo(1);

    fromCaller.on(new SipLegEvent.Reinvite("hold-offer"));
    assertThat(sip.legs.get(0).reinvites).containsExactly("reinvite hold-offer");
    sip.listeners.get(0).on(new SipLegEvent.ReinviteAnswered("hold-answer"));
    assertThat(caller.reinvites).containsExactly("accept hold-answer");
    fromCaller.on(new SipLegEvent.Dtmf('7', Duration.ofMillis(160)));
    assertThat(sip.legs.get(0).dtmf).containsExactly("7/160");
    fromCaller.on(new SipLegEvent.KeyframeWanted());
    assertThat(sip.legs.get(0).keyframeRequests).as("RFC 5168 INFO passed on").isEqualTo(1);
    // the caller's re-INVITE without SDP got the callee's SDP as the offer (the adapter did that);
    // the changed answer in its ACK goes on to the callee, whose answer nobody waits for
    fromCaller.on(new SipLegEvent.AnswerInAck(Optional.of("caller-moved")));
    assertThat(sip.legs.get(0).reinvites).endsWith("reinvite caller-moved");
    sip.listeners.get(0).on(new SipLegEvent.ReinviteAnswered("callee-again"));
    assertThat(caller.reinvites).as("nothing owed to the caller").hasSize(1);

    sip.listeners.get(0).on(new SipLegEvent.Bye(Optional.empty()));
    assertThat(caller.byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void aPhoneCallingAnUnregisteredAccountGetsTheFailure() {
    FakeInboundLeg caller = new FakeInboundLeg();
    board.incoming(
        new InboundInvite(
            "sip-call-9", "sip:1001@127.0.0.1", null, "desk", Optional.of("caller-offer")),
        caller);
    assertThat(caller.rejects).containsExactly(480);
    assertNothingLeft();
  }

  @Test
  void anUpstreamUserCallsThroughItsPbxAsItsOwnAddressOfRecordWithItsCredentials() {
    Tab dave = open("dave");
    call(dave, "1000");
    media.complete(0, "plain-offer");
    OutboundInvite invite = sip.invites.get(0);
    assertThat(invite.from().user()).isEqualTo("1003");
    assertThat(invite.from().domain()).contains("pbx.test");
    assertThat(invite.destination().credentials())
        .contains(new Destination.DigestCredentials("1003", "dave-secret"));
    Tab alice = open("alice");
    call(alice, "1001");
    media.complete(1, "plain-offer");
    assertThat(sip.invites.get(1).from()).isEqualTo(CallerId.of("alice"));
    assertThat(sip.invites.get(1).destination().credentials()).isEmpty();
  }

  // --- transfer --------------------------------------------------------------------------------

  /** Alice's answered call to {@code to}; its SIP leg is the newest in {@link FakeSip#legs}. */
  private CallId answeredCall(Tab alice, String to) {
    CallId id = call(alice, to);
    media.complete(media.calls.size() - 1, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(media.calls.size() - 1, "webrtc-answer");
    assertThat(alice.all(BrowserEvent.Answered.class))
        .extracting(BrowserEvent.Answered::callId)
        .contains(id);
    return id;
  }

  @Test
  void aBlindTransferRefersThePeerAndEndsTheCallWhenTheTargetAnswers() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice, "1000");
    FakeOutboundLeg leg = sip.leg;
    assertThat(ask(alice, new BrowserRequest.Transfer(id, Optional.of("1001"), Optional.empty())))
        .isEqualTo(Outcome.done());
    assertThat(leg.refers).containsExactly("sip:1001@127.0.0.1:5070");
    assertThat(ask(alice, new BrowserRequest.Transfer(id, Optional.of("1002"), Optional.empty())))
        .as("one transfer at a time")
        .isInstanceOf(Outcome.Refused.class);
    sip.event(new SipLegEvent.TransferProgress(180, "Ringing"));
    sip.event(new SipLegEvent.TransferProgress(200, "OK"));
    assertThat(alice.all(BrowserEvent.TransferProgress.class))
        .containsExactly(
            new BrowserEvent.TransferProgress(id, 180, "Ringing"),
            new BrowserEvent.TransferProgress(id, 200, "OK"));
    assertThat(leg.byes).isEqualTo(1);
    assertThat(alice.endReason()).isEqualTo(EndReason.TRANSFERRED);
    assertNothingLeft();
  }

  @Test
  void aFailedTransferLeavesTheCallAndOneToAForbiddenTargetIsNeverSent() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice, "1000");
    Outcome forbidden =
        ask(alice, new BrowserRequest.Transfer(id, Optional.of("+4930123456"), Optional.empty()));
    assertThat(forbidden).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) forbidden).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(sip.leg.refers).isEmpty();

    ask(alice, new BrowserRequest.Transfer(id, Optional.of("1001"), Optional.empty()));
    sip.event(new SipLegEvent.TransferProgress(486, "Busy Here"));
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
    assertThat(ask(alice, new BrowserRequest.Transfer(id, Optional.of("1002"), Optional.empty())))
        .as("a new attempt once the first failed")
        .isEqualTo(Outcome.done());
  }

  @Test
  void anAttendedTransferRefersOnePeerToTheOtherWithReplaces() {
    Tab alice = open("alice");
    CallId first = answeredCall(alice, "1000");
    FakeOutboundLeg firstLeg = sip.leg;
    CallId second = answeredCall(alice, "1001");
    sip.leg.replacing = Optional.of("sip:1001@10.0.0.5?Replaces=abc%3Bto-tag%3Dx%3Bfrom-tag%3Dy");
    assertThat(
            ask(alice, new BrowserRequest.Transfer(first, Optional.empty(), Optional.of(second))))
        .isEqualTo(Outcome.done());
    assertThat(firstLeg.refers)
        .containsExactly("sip:1001@10.0.0.5?Replaces=abc%3Bto-tag%3Dx%3Bfrom-tag%3Dy");
    Tab bob = open("bob");
    assertThat(ask(bob, new BrowserRequest.Transfer(first, Optional.empty(), Optional.of(second))))
        .as("not bob's calls")
        .isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aReferFromSipIsFollowedByTheBrowserAndTheReferrerHearsHowItGoes() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice, "1000");
    FakeOutboundLeg referrer = sip.leg;
    sip.event(new SipLegEvent.Referred("sip:1002@127.0.0.1:5070"));
    BrowserEvent.Referred referred = alice.all(BrowserEvent.Referred.class).get(0);
    assertThat(referred.callId()).isEqualTo(id);
    assertThat(referred.to()).isEqualTo("1002");

    Outcome placed =
        ask(
            alice,
            new BrowserRequest.Invite("1002", WEBRTC_OFFER, Optional.of(referred.referId())));
    assertThat(placed).isInstanceOf(Outcome.CallPlaced.class);
    media.complete(media.calls.size() - 1, "plain-offer");
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(media.calls.size() - 1, "webrtc-answer");
    assertThat(referrer.notifies).containsExactly("180 Ringing", "200 OK");
    assertThat(
            ask(
                alice,
                new BrowserRequest.Invite("1002", WEBRTC_OFFER, Optional.of(referred.referId()))))
        .as("a refer id is good for one call")
        .isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aReferToATargetTheUserMayNotDialIsRefusedAndTheReferrerTold403() {
    Tab alice = open("alice");
    answeredCall(alice, "1000");
    FakeOutboundLeg referrer = sip.leg;
    sip.event(new SipLegEvent.Referred("sip:+4930123456@127.0.0.1:5070"));
    BrowserEvent.Referred referred = alice.all(BrowserEvent.Referred.class).get(0);
    Outcome refused =
        ask(
            alice,
            new BrowserRequest.Invite(
                referred.to(), WEBRTC_OFFER, Optional.of(referred.referId())));
    assertThat(((Outcome.Refused) refused).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(referrer.notifies).containsExactly("403 Forbidden");
  }

  @Test
  void hangingUpACallToOrFromSipIsAnsweredBeforeTheCallEnds() {
    List<String> wire = new ArrayList<>();
    Tab alice =
        new Tab() {
          @Override
          public void deliver(BrowserEvent event) {
            super.deliver(event);
            wire.add(event.getClass().getSimpleName());
          }
        };
    alice.id = ((SessionOutcome.Opened) board.open("alice", alice).join()).sessionId();
    CallId out = call(alice, "1000");
    media.complete(0, "plain-offer");
    board.request(alice.id, new BrowserRequest.Hangup(out), outcome -> wire.add("reply"));
    assertThat(wire).as("calling SIP").containsExactly("reply", "Ended");

    wire.clear();
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(
        new InboundInvite("sip-call-2", "sip:pat@127.0.0.1", "Pat", "alice", Optional.of("o")),
        leg);
    media.complete(1, "webrtc-offer");
    wire.clear();
    CallId in = inboundCallId(alice);
    board.request(alice.id, new BrowserRequest.Hangup(in), outcome -> wire.add("reply"));
    assertThat(wire).as("called from SIP, ringing").containsExactly("reply", "Ended");
    assertNothingLeft();
  }

  private static CallId inboundCallId(Tab tab) {
    return tab.events.stream()
        .filter(BrowserEvent.Incoming.class::isInstance)
        .map(BrowserEvent::callId)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  // --- a REFER the bridge does not follow (issue 16): the referrer still gets a final NOTIFY ---

  @Test
  void aReferBetweenTwoPhonesIsDeclinedWithAFinalNotifyInEveryState() {
    registerDesk();
    FakeInboundLeg caller = new FakeInboundLeg();
    SipLegListener fromCaller =
        board.incoming(
            new InboundInvite(
                "sip-call-9", "sip:1001@127.0.0.1", null, "2001", Optional.of("caller-offer")),
            caller);
    fromCaller.on(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    sip.listeners.get(0).on(new SipLegEvent.Referred("sip:1003@127.0.0.1"));
    assertThat(caller.notifies).as("calling, from the caller").containsExactly("603 Decline");
    assertThat(sip.legs.get(0).notifies)
        .as("calling, from the callee")
        .containsExactly("603 Decline");

    sip.listeners.get(0).on(new SipLegEvent.Answered("callee-answer"));
    fromCaller.on(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    sip.listeners.get(0).on(new SipLegEvent.Referred("sip:1003@127.0.0.1"));
    assertThat(caller.notifies).hasSize(2);
    assertThat(sip.legs.get(0).notifies).containsExactly("603 Decline", "603 Decline");
    assertThat(caller.byes + sip.legs.get(0).byes).as("the call goes on").isZero();

    sip.listeners.get(0).on(new SipLegEvent.Bye(Optional.empty()));
    fromCaller.on(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    sip.listeners.get(0).on(new SipLegEvent.Referred("sip:1003@127.0.0.1"));
    assertThat(caller.notifies).as("over, from the caller").hasSize(3);
    assertThat(sip.legs.get(0).notifies).as("over, from the callee").hasSize(3);
    assertNothingLeft();
  }

  @Test
  void aReferToABrowserCallStillBeingAnsweredIsDeclined() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    listener.on(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    assertThat(leg.notifies).as("answering").containsExactly("603 Decline");
    assertThat(bob.all(BrowserEvent.Referred.class)).isEmpty();
    media.complete(1, "plain-answer");
    assertThat(leg.answers).as("the call goes on").containsExactly("plain-answer");
    ask(bob, new BrowserRequest.Hangup(id));
    listener.on(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    assertThat(leg.notifies).as("over").containsExactly("603 Decline", "603 Decline");
    assertNothingLeft();
  }

  @Test
  void aReferToABrowsersCallNotYetAnsweredOrOverIsDeclined() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    assertThat(sip.leg.notifies).as("calling").containsExactly("603 Decline");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    sip.event(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    assertThat(sip.leg.notifies).as("answering").hasSize(2);
    assertThat(alice.all(BrowserEvent.Referred.class)).isEmpty();
    media.complete(1, "webrtc-answer");
    ask(alice, new BrowserRequest.Hangup(id));
    sip.event(new SipLegEvent.Referred("sip:1002@127.0.0.1"));
    assertThat(sip.leg.notifies).as("over").hasSize(3);
    assertNothingLeft();
  }

  // --- browser -> SIP ---------------------------------------------------------------------------

  @Test
  void browserCallsSipThroughTheMediaBackendAndHangsUp() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    assertThat(sip.invites).as("no INVITE before the media offer is ready").isEmpty();
    media.complete(0, "plain-offer");

    OutboundInvite invite = sip.invites.get(0);
    assertThat(invite.requestUri()).isEqualTo("sip:1000@127.0.0.1:5070");
    assertThat(invite.fromUser()).isEqualTo("alice");
    assertThat(invite.sdp()).isEqualTo("plain-offer");
    assertThat(media.calls.get(0)).isEqualTo("offer BROWSER " + WEBRTC_OFFER);

    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    assertThat(alice.all(BrowserEvent.Ringing.class)).as("ringing once").hasSize(1);

    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    assertThat(media.calls.get(1)).isEqualTo("answer SIP " + PLAIN_ANSWER);
    media.complete(1, "webrtc-answer");
    assertThat(alice.all(BrowserEvent.Answered.class))
        .containsExactly(new BrowserEvent.Answered(id, "webrtc-answer", DtmfMethod.SIP_INFO));
    assertThat(ask(alice, new BrowserRequest.AddCandidate(id, Optional.empty())))
        .isEqualTo(Outcome.done());

    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(sip.leg.byes).isEqualTo(1);
    assertThat(alice.endReason()).isEqualTo(EndReason.HANGUP);
    assertNothingLeft();
  }

  /** A browser's offer before it has gathered anything: ICE, but c=0.0.0.0 and port 9. */
  private static final String TRICKLING_OFFER =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
          + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
          + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=sendrecv\r\n";

  @Test
  void anOfferWithoutCandidatesWaitsForTheFirstOneAndCarriesItAsDefaultAddress() {
    Tab alice = open("alice");
    CallId id =
        ((Outcome.CallPlaced) ask(alice, new BrowserRequest.Invite("1000", TRICKLING_OFFER)))
            .callId();
    assertThat(media.calls).as("rtpengine would read c=0.0.0.0 as hold").isEmpty();
    ask(
        alice,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active")));
    assertThat(media.calls).as("a TCP candidate is no default address").isEmpty();
    ask(
        alice,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:2 1 udp 2122260223 192.0.2.7 50000 typ host")));
    assertThat(media.calls).hasSize(1);
    assertThat(media.calls.get(0))
        .contains("m=audio 50000 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 192.0.2.7\r\n")
        .contains("a=candidate:2 1 udp 2122260223 192.0.2.7 50000 typ host")
        .contains("a=candidate:1 1 tcp");
    media.complete(0, "plain-offer");
    assertThat(sip.invites).hasSize(1);
    ask(alice, new BrowserRequest.Hangup(id));
    assertNothingLeft();
  }

  // --- issue 18: WebRTC end to end with a peer that speaks it ---

  private static final String PEER_WEBRTC_OFFER =
      "v=0\r\no=- 7 7 IN IP4 192.0.2.9\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
          + "m=audio 40000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.9\r\na=mid:0\r\n"
          + "a=ice-ufrag:wxyz\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
          + "a=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=rtpmap:111 opus/48000/2\r\n"
          + "a=candidate:1 1 udp 2122260223 192.0.2.9 40000 typ host\r\n"
          + "a=end-of-candidates\r\na=sendrecv\r\n";

  private void webrtcPeers(String... names) {
    board.encryptSipMedia(
        new dev.tandem.core.media.SipMediaPolicy(
            Map.of(), Map.of(), dev.tandem.sdp.translate.MediaEncryption.PLAIN, Set.of(names)));
  }

  @Test
  void aCallToADestinationThatSpeaksWebRtcCarriesTheBrowsersSdpWithAllItsCandidates() {
    webrtcPeers("pbx");
    Tab alice = open("alice");
    CallId id =
        ((Outcome.CallPlaced) ask(alice, new BrowserRequest.Invite("1000", TRICKLING_OFFER)))
            .callId();
    ask(
        alice,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:2 1 udp 2122260223 192.0.2.7 50000 typ host")));
    assertThat(sip.invites).as("SIP does not trickle: the INVITE waits for them all").isEmpty();
    ask(
        alice,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:3 1 udp 1686052607 198.51.100.7 50001 typ srflx")));
    ask(alice, new BrowserRequest.AddCandidate(id, Optional.empty()));
    assertThat(sip.invites).hasSize(1);
    assertThat(sip.invites.get(0).sdp())
        .contains("m=audio 50000 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 192.0.2.7\r\n")
        .contains("a=candidate:2 1 udp 2122260223 192.0.2.7 50000 typ host")
        .contains("a=candidate:3 1 udp 1686052607 198.51.100.7 50001 typ srflx")
        .contains("a=end-of-candidates")
        .contains("a=ice-ufrag:abcd");
    sip.event(new SipLegEvent.Answered(PEER_WEBRTC_OFFER));
    assertThat(alice.all(BrowserEvent.Answered.class))
        .as("the peer's answer reaches the browser as it is")
        .extracting(BrowserEvent.Answered::sdp)
        .containsExactly(PEER_WEBRTC_OFFER);
    assertThat(media.calls).as("no relay: media flows end to end").isEmpty();
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(sip.legs.get(0).byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void withoutEndOfCandidatesTheInviteLeavesAfterTheWaitWithWhatItHas() {
    webrtcPeers("pbx");
    Tab alice = open("alice");
    CallId id =
        ((Outcome.CallPlaced) ask(alice, new BrowserRequest.Invite("1000", TRICKLING_OFFER)))
            .callId();
    ask(
        alice,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:2 1 udp 2122260223 192.0.2.7 50000 typ host")));
    clock.advance(CandidateGate.COMPLETE_WAIT.minusMillis(1));
    assertThat(sip.invites).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(sip.invites).hasSize(1);
    assertThat(sip.invites.get(0).sdp()).contains("c=IN IP4 192.0.2.7");
    assertThat(media.calls).isEmpty();
    ask(alice, new BrowserRequest.Hangup(id));
    assertNothingLeft();
  }

  @Test
  void anOfferFromSipInTheWebRtcFormRingsBrowsersAsItIsAndTheAnswerGoesBackWhole() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(
        new InboundInvite(
            "sip-call-1", "sip:alice@192.0.2.9", "Alice", "bob", Optional.of(PEER_WEBRTC_OFFER)),
        leg);
    assertThat(media.calls).as("no relay for a peer that speaks WebRTC").isEmpty();
    BrowserEvent.Incoming incoming = bob.all(BrowserEvent.Incoming.class).get(0);
    assertThat(incoming.sdp()).contains(PEER_WEBRTC_OFFER);
    ask(bob, new BrowserRequest.Answer(incoming.callId(), TRICKLING_OFFER));
    ask(
        bob,
        new BrowserRequest.AddCandidate(
            incoming.callId(), candidate("candidate:2 1 udp 2122260223 192.0.2.8 50002 typ host")));
    assertThat(leg.answers).as("the 200 waits for the browser's candidates").isEmpty();
    ask(bob, new BrowserRequest.AddCandidate(incoming.callId(), Optional.empty()));
    assertThat(leg.answers).hasSize(1);
    assertThat(leg.answers.get(0))
        .contains("a=candidate:2 1 udp 2122260223 192.0.2.8 50002 typ host")
        .contains("a=end-of-candidates");
    assertThat(media.calls).isEmpty();
    ask(bob, new BrowserRequest.Hangup(incoming.callId()));
    assertNothingLeft();
  }

  @Test
  void anOfferWithoutCandidatesGoesOutAsItIsWhenNoneArrives() {
    Tab alice = open("alice");
    ask(alice, new BrowserRequest.Invite("1000", TRICKLING_OFFER));
    clock.advance(CandidateGate.WAIT.minusMillis(1));
    assertThat(media.calls).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(media.calls).hasSize(1);
    assertThat(media.calls.get(0)).contains("c=IN IP4 0.0.0.0");
    media.complete(0, "plain-offer");
    assertNothingLeft();
  }

  @Test
  void hangingUpWhileTheOfferWaitsForCandidatesSendsNothing() {
    Tab alice = open("alice");
    CallId id =
        ((Outcome.CallPlaced) ask(alice, new BrowserRequest.Invite("1000", TRICKLING_OFFER)))
            .callId();
    ask(alice, new BrowserRequest.Hangup(id));
    clock.advance(Duration.ofSeconds(5));
    assertThat(media.calls).isEmpty();
    assertThat(sip.invites).isEmpty();
    assertNothingLeft();
  }

  @Test
  void earlyMediaReachesTheBrowserAsAProvisionalAnswer() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Provisional(183, "Session Progress", Optional.of(PLAIN_ANSWER)));
    media.complete(1, "webrtc-pranswer");
    assertThat(alice.all(BrowserEvent.Progress.class))
        .containsExactly(new BrowserEvent.Progress(id, Optional.of("webrtc-pranswer")));
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(2, "webrtc-answer");
    assertThat(alice.all(BrowserEvent.Answered.class)).hasSize(1);
    sip.event(new SipLegEvent.Bye(Optional.empty()));
    assertThat(alice.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(sip.leg.byes).as("no BYE back for a BYE").isZero();
    assertNothingLeft();
  }

  @Test
  void aSipErrorEndsTheCallWithItsCodeAndReason() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Failed(486, "Busy Here"));
    assertThat(alice.all(BrowserEvent.Ended.class))
        .containsExactly(
            new BrowserEvent.Ended(
                id, EndReason.BUSY, OptionalInt.of(486), Optional.of("Busy Here")));
    assertNothingLeft();
  }

  @Test
  void hangingUpWhileRingingCancelsAndA200CrossingTheCancelIsByed() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(sip.leg.cancels).isEqualTo(1);
    assertThat(alice.endReason()).isEqualTo(EndReason.HANGUP);
    assertThat(media.released).containsExactly(id);

    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    assertThat(sip.leg.byes).as("the 2xx that crossed our CANCEL is ended with BYE").isEqualTo(1);
    assertThat(media.calls).as("no media work for a dead call").hasSize(1);
    assertNothingLeft();
  }

  @Test
  void hangingUpBeforeTheMediaOfferIsReadySendsNoInvite() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    ask(alice, new BrowserRequest.Hangup(id));
    media.complete(0, "plain-offer");
    assertThat(sip.invites).isEmpty();
    assertThat(media.released).containsExactly(id);
    assertNothingLeft();
  }

  @Test
  void aFailedMediaOfferEndsTheCallWithTheReason() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.fail(0, new MediaException("rtpengine at 127.0.0.1:2223 did not answer"));
    assertThat(alice.all(BrowserEvent.Ended.class).get(0).sipReason())
        .hasValue("rtpengine at 127.0.0.1:2223 did not answer");
    assertThat(sip.invites).isEmpty();
    assertNothingLeft();
  }

  @Test
  void noAnswerInTimeCancels() {
    Tab alice = open("alice");
    call(alice, "1000");
    media.complete(0, "plain-offer");
    clock.advance(Duration.ofSeconds(60));
    assertThat(sip.leg.cancels).isEqualTo(1);
    assertThat(alice.endReason()).isEqualTo(EndReason.NO_ANSWER);
    assertNothingLeft();
  }

  @Test
  void theDialPlanRefusesBeforeAnySipIsSent() {
    Tab alice = open("alice");
    Tab carol = open("carol");
    Outcome forbidden = ask(alice, new BrowserRequest.Invite("+4930123456", WEBRTC_OFFER));
    assertThat(forbidden).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) forbidden).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(((Outcome.Refused) forbidden).message()).contains("national");

    Outcome noRoute =
        ask(alice, new BrowserRequest.Invite("sip:x@elsewhere.invalid", WEBRTC_OFFER));
    assertThat(((Outcome.Refused) noRoute).refusal()).isEqualTo(Refusal.NOT_FOUND);

    assertThat(ask(carol, new BrowserRequest.Invite("+4930123456", WEBRTC_OFFER)))
        .isInstanceOf(Outcome.CallPlaced.class);
    assertThat(media.calls).hasSize(1);
    media.complete(0, "plain-offer");
    assertThat(sip.invites).hasSize(1);
    assertNothingLeft();
  }

  // --- SIP -> browser ---------------------------------------------------------------------------

  @Test
  void aSipCallRingsEveryTabAndTheFirstAnswerWins() {
    Tab bob1 = open("bob");
    Tab bob2 = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    assertThat(media.calls.get(0)).isEqualTo("offer SIP plain-offer");
    assertThat(leg.ringing).as("180 only once browsers ring").isZero();
    media.complete(0, "webrtc-offer");
    assertThat(leg.ringing).isEqualTo(1);
    CallId id = bob1.all(BrowserEvent.Incoming.class).get(0).callId();
    assertThat(bob2.all(BrowserEvent.Incoming.class))
        .containsExactly(
            new BrowserEvent.Incoming(
                id,
                "Pat",
                Optional.of("webrtc-offer"),
                DtmfMethod.SIP_INFO,
                new dev.tandem.core.browser.Caller(
                    "pat", Optional.of("Pat"), Optional.of("sip:pat@127.0.0.1"))));

    ask(bob2, new BrowserRequest.Answer(id, "webrtc-answer"));
    assertThat(bob1.endReason()).isEqualTo(EndReason.ANSWERED_ELSEWHERE);
    assertThat(leg.answers).as("200 only once the media answer is ready").isEmpty();
    media.complete(1, "plain-answer");
    assertThat(leg.answers).containsExactly("plain-answer");

    listener.on(new SipLegEvent.Bye(Optional.empty()));
    assertThat(bob2.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(media.released).containsExactly(id);
    assertNothingLeft();
  }

  // --- inbound routing and trust ---------------------------------------------------------------

  private static final NumberPlan PLAN = NumberPlan.defaults();

  /** +15551234567 rings bob, +1555000XXXX the group sales (bob, carol); pbx's address trusted. */
  private InboundPolicy policy(boolean allowAnySource) {
    return new InboundPolicy(
        new InboundTable(
            PLAN,
            List.of(
                new InboundTable.Entry(
                    NumberPattern.parse("+15551234567", PLAN), new InboundTarget.User("bob")),
                new InboundTable.Entry(
                    NumberPattern.parse("+1555000XXXX", PLAN),
                    new InboundTarget.Group("sales", List.of("bob", "carol")))),
            Optional.empty()),
        new TrustedSources(Map.of("pbx", List.of(Cidr.parse("127.0.0.1")))),
        allowAnySource,
        Set.of("bob", "carol", "dave")::contains);
  }

  private static InboundInvite inviteFrom(String source, String called) {
    return new InboundInvite(
        "sip-call-1",
        "sip:pat@127.0.0.1",
        "Pat",
        called,
        Optional.of("plain-offer"),
        source,
        Optional.empty());
  }

  @Test
  void aCalledNumberWrittenAnyWayRingsTheUserTheTableNames() {
    board.routeInbound(policy(false));
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(inviteFrom("127.0.0.1", "1-555-123-4567"), leg);
    media.complete(0, "webrtc-offer");
    assertThat(bob.all(BrowserEvent.Incoming.class)).hasSize(1);
    listener.on(new SipLegEvent.Cancelled());
    assertThat(bob.endReason()).isEqualTo(EndReason.CANCELLED);
    assertNothingLeft();
  }

  @Test
  void aRingGroupRingsEveryMemberAndTheOthersAreToldAnsweredElsewhere() {
    board.routeInbound(policy(false));
    Tab bob = open("bob");
    Tab carol = open("carol");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(inviteFrom("127.0.0.1", "+15550001234"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    assertThat(carol.all(BrowserEvent.Incoming.class)).hasSize(1);
    ask(carol, new BrowserRequest.Answer(id, "webrtc-answer"));
    assertThat(bob.endReason()).isEqualTo(EndReason.ANSWERED_ELSEWHERE);
    media.complete(1, "plain-answer");
    assertThat(leg.answers).containsExactly("plain-answer");
    listener.on(new SipLegEvent.Bye(Optional.empty()));
    assertThat(carol.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertNothingLeft();
  }

  @Test
  void anUnknownUserGets404AndAKnownOfflineUser480() {
    board.routeInbound(policy(false));
    FakeInboundLeg unknown = new FakeInboundLeg();
    board.incoming(inviteFrom("127.0.0.1", "nobody"), unknown);
    FakeInboundLeg offline = new FakeInboundLeg();
    board.incoming(inviteFrom("127.0.0.1", "dave"), offline);
    FakeInboundLeg groupOffline = new FakeInboundLeg();
    board.incoming(inviteFrom("127.0.0.1", "+15550009999"), groupOffline);
    assertThat(unknown.rejects).containsExactly(404);
    assertThat(offline.rejects).containsExactly(480);
    assertThat(groupOffline.rejects).containsExactly(480);
    assertNothingLeft();
  }

  @Test
  void anUntrustedSourceGets403SayingWhyAndARegisteredPhonesSourceRings() {
    board.routeInbound(policy(false));
    Tab bob = open("bob");
    FakeInboundLeg stranger = new FakeInboundLeg();
    board.incoming(inviteFrom("203.0.113.9", "bob"), stranger);
    assertThat(stranger.rejects).containsExactly(403);
    assertThat(stranger.warnings).singleElement().asString().contains("203.0.113.9");
    registerDesk(); // from 192.0.2.7
    FakeInboundLeg phone = new FakeInboundLeg();
    board.incoming(inviteFrom("192.0.2.7", "bob"), phone);
    media.complete(0, "webrtc-offer");
    assertThat(phone.rejects).isEmpty();
    assertThat(bob.all(BrowserEvent.Incoming.class)).hasSize(1);
    assertNothingLeft();
  }

  @Test
  void aCancelSayingAnsweredElsewhereIsToldSo() {
    board.routeInbound(policy(false));
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(inviteFrom("127.0.0.1", "bob"), leg);
    media.complete(0, "webrtc-offer");
    listener.on(new SipLegEvent.Cancelled(true));
    assertThat(bob.endReason()).isEqualTo(EndReason.ANSWERED_ELSEWHERE);
    assertNothingLeft();
  }

  /** carol (who may dial national numbers through pbx) answers a call from {@code source}. */
  private FakeInboundLeg answeredBy(Tab carol, String source) {
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(inviteFrom(source, "carol"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = carol.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(carol, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    listener.on(new SipLegEvent.Referred("sip:+4930123456@203.0.113.9"));
    return leg;
  }

  @Test
  void aReferFromAnUntrustedCallerNeverDialsOutWithTheCalleesRights() {
    board.routeInbound(policy(true));
    Tab carol = open("carol");
    FakeInboundLeg leg = answeredBy(carol, "203.0.113.9");
    BrowserEvent.Referred referred = carol.all(BrowserEvent.Referred.class).get(0);
    Outcome outcome =
        ask(
            carol,
            new BrowserRequest.Invite(
                referred.to(), WEBRTC_OFFER, Optional.of(referred.referId())));
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(leg.notifies).containsExactly("403 Forbidden");
    assertThat(sip.invites).as("nothing dialled out").isEmpty();
    assertNothingLeft();
  }

  @Test
  void aReferFromATrunkMayRouteBackThroughThatTrunk() {
    board.routeInbound(policy(false));
    Tab carol = open("carol");
    answeredBy(carol, "127.0.0.1");
    BrowserEvent.Referred referred = carol.all(BrowserEvent.Referred.class).get(0);
    Outcome outcome =
        ask(
            carol,
            new BrowserRequest.Invite(
                referred.to(), WEBRTC_OFFER, Optional.of(referred.referId())));
    assertThat(outcome).isInstanceOf(Outcome.CallPlaced.class);
    media.complete(media.calls.size() - 1, "plain-offer");
    assertThat(sip.invites)
        .singleElement()
        .satisfies(i -> assertThat(i.destination()).isEqualTo(pbx));
    assertNothingLeft();
  }

  @Test
  void aSipCallToAUserWithoutSessionsGets480() {
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("nobody"), leg);
    assertThat(leg.rejects).containsExactly(480);
    assertThat(media.calls).isEmpty();
    assertNothingLeft();
  }

  @Test
  void whenEveryTabDeclinesTheSipCallerGets486() {
    Tab bob1 = open("bob");
    Tab bob2 = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob1.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob1, new BrowserRequest.Reject(id, RejectReason.DECLINED));
    assertThat(leg.rejects).isEmpty();
    ask(bob2, new BrowserRequest.Reject(id, RejectReason.BUSY));
    assertThat(leg.rejects).containsExactly(486);
    assertNothingLeft();
  }

  @Test
  void aCancelWhileRingingStopsEveryTab() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    listener.on(new SipLegEvent.Cancelled());
    assertThat(bob.endReason()).isEqualTo(EndReason.CANCELLED);
    assertThat(leg.rejects).as("the adapter answered the CANCEL with 487 itself").isEmpty();
    assertNothingLeft();
  }

  @Test
  void aCancelCrossingTheBrowsersAnswerEndsTheCall() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    listener.on(new SipLegEvent.Cancelled());
    media.complete(1, "plain-answer");
    assertThat(leg.answers).as("no 200 after the CANCEL").isEmpty();
    assertThat(bob.endReason()).isEqualTo(EndReason.CANCELLED);
    assertNothingLeft();
  }

  // --- late offer: an INVITE without SDP (RFC 3261 §13.2.1) -------------------------------------

  @Test
  void aLateOfferRingsWithoutSdpTheBrowserOffersAndTheAckAnswers() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(lateOffer("bob"), leg);
    assertThat(media.calls).as("nothing to rewrite before the browser offers").isEmpty();
    assertThat(leg.ringing).isEqualTo(1);
    CallId id = inboundCallId(bob);
    assertThat(bob.all(BrowserEvent.Incoming.class))
        .containsExactly(
            new BrowserEvent.Incoming(
                id,
                "Pat",
                Optional.empty(),
                DtmfMethod.SIP_INFO,
                new dev.tandem.core.browser.Caller(
                    "pat", Optional.of("Pat"), Optional.of("sip:pat@127.0.0.1"))));

    ask(bob, new BrowserRequest.Answer(id, WEBRTC_OFFER));
    assertThat(media.calls).containsExactly("offer BROWSER " + WEBRTC_OFFER);
    media.complete(0, "plain-offer");
    assertThat(leg.offers).as("200 with the offer").containsExactly("plain-offer");
    assertThat(leg.answers).isEmpty();
    assertThat(bob.all(BrowserEvent.Answered.class)).as("not before the ACK").isEmpty();

    listener.on(new SipLegEvent.AnswerInAck(Optional.of(PLAIN_ANSWER)));
    assertThat(media.calls.get(1)).isEqualTo("answer SIP " + PLAIN_ANSWER);
    media.complete(1, "webrtc-answer");
    assertThat(bob.all(BrowserEvent.Answered.class))
        .containsExactly(new BrowserEvent.Answered(id, "webrtc-answer", DtmfMethod.SIP_INFO));

    listener.on(new SipLegEvent.Bye(Optional.empty()));
    assertThat(bob.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(leg.byes).isZero();
    assertNothingLeft();
  }

  @Test
  void anAckWithoutAnAnswerEndsTheLateOfferCallWithBye() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(lateOffer("bob"), leg);
    CallId id = inboundCallId(bob);
    ask(bob, new BrowserRequest.Answer(id, WEBRTC_OFFER));
    media.complete(0, "plain-offer");
    listener.on(new SipLegEvent.AnswerInAck(Optional.empty()));
    assertThat(leg.byes).isEqualTo(1);
    BrowserEvent.Ended ended = bob.all(BrowserEvent.Ended.class).get(0);
    assertThat(ended.reason()).isEqualTo(EndReason.FAILED);
    assertThat(ended.sipReason()).contains("the SIP peer's ACK carried no SDP answer");
    assertNothingLeft();
  }

  @Test
  void anUnusableAnswerInTheAckEndsTheLateOfferCallWithBye() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(lateOffer("bob"), leg);
    CallId id = inboundCallId(bob);
    ask(bob, new BrowserRequest.Answer(id, WEBRTC_OFFER));
    media.complete(0, "plain-offer");
    listener.on(new SipLegEvent.AnswerInAck(Optional.of(PLAIN_ANSWER)));
    media.fail(1, new MediaException("no codec in common", true, null));
    assertThat(leg.byes).isEqualTo(1);
    assertThat(leg.rejects).as("the 200 went out: no final error").isEmpty();
    assertThat(bob.endReason()).isEqualTo(EndReason.FAILED);
    assertNothingLeft();
  }

  @Test
  void aLateOfferCallWhoseAckNeverComesEndsWithBye() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(lateOffer("bob"), leg);
    CallId id = inboundCallId(bob);
    ask(bob, new BrowserRequest.Answer(id, WEBRTC_OFFER));
    media.complete(0, "plain-offer");
    listener.on(new SipLegEvent.AckTimeout());
    assertThat(leg.byes).isEqualTo(1);
    assertThat(bob.endReason()).isEqualTo(EndReason.FAILED);
    assertNothingLeft();
  }

  @Test
  void aLateOfferToARegisteredPhoneIsRefusedWith488() {
    registerDesk();
    FakeInboundLeg caller = new FakeInboundLeg();
    board.incoming(
        new InboundInvite("sip-call-9", "sip:1001@127.0.0.1", null, "2001", Optional.empty()),
        caller);
    assertThat(caller.rejects).containsExactly(488);
    assertThat(sip.invites).as("nothing forwarded").isEmpty();
    assertNothingLeft();
  }

  /** An answered SIP -> browser call: its id; media steps 0 and 1 are done. */
  private CallId answeredInbound(Tab bob, FakeInboundLeg leg, SipLegListener[] listener) {
    listener[0] = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = inboundCallId(bob);
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    return id;
  }

  @Test
  void aChangedAnswerInTheAckOfAReinviteWithoutSdpReoffersToTheBrowserOnly() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener[] listener = new SipLegListener[1];
    CallId id = answeredInbound(bob, leg, listener);
    listener[0].on(new SipLegEvent.AnswerInAck(Optional.of("moved-answer")));
    assertThat(media.calls.get(2)).isEqualTo("offer SIP moved-answer");
    media.complete(2, "webrtc-reoffer");
    assertThat(bob.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.OFFER, "webrtc-reoffer"));
    ask(bob, new BrowserRequest.Update(id, SdpType.ANSWER, "webrtc-reanswer"));
    assertThat(media.calls.get(3)).isEqualTo("answer BROWSER webrtc-reanswer");
    media.complete(3, "plain-reanswer");
    assertThat(leg.reinvites).as("the SIP offer/answer is complete: nothing to send").isEmpty();
    ask(bob, new BrowserRequest.Hangup(id));
    assertThat(leg.byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void anAckWithoutAnswerToAReinviteWithoutSdpEndsTheCall() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener[] listener = new SipLegListener[1];
    answeredInbound(bob, leg, listener);
    listener[0].on(new SipLegEvent.AnswerInAck(Optional.empty()));
    assertThat(leg.byes).isEqualTo(1);
    assertThat(bob.endReason()).isEqualTo(EndReason.FAILED);
    assertNothingLeft();
  }

  @Test
  void aBadSipOfferIsRefusedWith488() {
    open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.fail(0, new MediaException("no codec in common", true, null));
    assertThat(leg.rejects).containsExactly(488);
    assertThat(leg.warnings).as("the 488 says why").containsExactly("no codec in common");
    assertNothingLeft();
  }

  @Test
  void nobodyAnsweringInTimeGives480() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    clock.advance(Duration.ofSeconds(60));
    assertThat(leg.rejects).containsExactly(480);
    assertThat(bob.endReason()).isEqualTo(EndReason.NO_ANSWER);
    assertNothingLeft();
  }

  @Test
  void theBrowserHangingUpAnAnsweredSipCallSendsBye() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    ask(bob, new BrowserRequest.Hangup(id));
    assertThat(leg.byes).isEqualTo(1);
    assertThat(bob.endReason()).isEqualTo(EndReason.HANGUP);
    assertNothingLeft();
  }

  @Test
  void anAnsweredCallWhoseSipSideFallsSilentEndsWithTimeoutAndBye() {
    Tab alice = open("alice");
    call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");
    // media flows for a minute: the call stays up
    for (int i = 0; i < 12; i++) {
      media.packetsFromSip += 250;
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
    // then the phone goes away without BYE; counters that cannot be read prove nothing
    media.activityUnknown = true;
    clock.advance(Duration.ofSeconds(15));
    media.activityUnknown = false;
    clock.advance(Duration.ofSeconds(14));
    assertThat(alice.all(BrowserEvent.Ended.class)).as("29 s of silence").isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(alice.endReason()).isEqualTo(EndReason.TIMEOUT);
    assertThat(sip.leg.byes).isEqualTo(1);
    assertThat(alice.all(BrowserEvent.Ended.class)).hasSize(1);
    assertNothingLeft();
  }

  private static final String PLAIN_ANSWER_WITH_TELEPHONE_EVENT =
      "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
          + "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
          + "a=rtpmap:101 telephone-event/8000\r\n";

  @Test
  void dtmfGoesInTheMediaWhenTheSipAnswerHasTelephoneEventAndAsInfoOnRequest() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    assertThat(ask(alice, new BrowserRequest.SendDtmf(id, "1", Duration.ofMillis(100))))
        .as("no DTMF before the answer")
        .isInstanceOf(Outcome.Refused.class);
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER_WITH_TELEPHONE_EVENT));
    media.complete(1, "webrtc-answer");
    assertThat(alice.all(BrowserEvent.Answered.class).get(0).dtmf()).isEqualTo(DtmfMethod.RFC4733);

    assertThat(ask(alice, new BrowserRequest.SendDtmf(id, "12#", Duration.ofMillis(160))))
        .isEqualTo(Outcome.done());
    assertThat(sip.leg.dtmf).containsExactly("12#/160");
    sip.event(new SipLegEvent.Dtmf('7', Duration.ofMillis(250)));
    assertThat(alice.all(BrowserEvent.Dtmf.class)).containsExactly(new BrowserEvent.Dtmf(id, '7'));
  }

  @Test
  void aDestinationSetToInfoGetsInfoWhateverItsSdpSays() {
    assertThat(SipDtmf.method(Destination.DtmfMode.INFO, PLAIN_ANSWER_WITH_TELEPHONE_EVENT))
        .isEqualTo(DtmfMethod.SIP_INFO);
    assertThat(SipDtmf.method(Destination.DtmfMode.RFC4733, PLAIN_ANSWER))
        .isEqualTo(DtmfMethod.RFC4733);
    assertThat(SipDtmf.method(Destination.DtmfMode.AUTO, PLAIN_ANSWER))
        .as("no telephone-event: INFO")
        .isEqualTo(DtmfMethod.SIP_INFO);
    assertThat(
            SipDtmf.method(
                Destination.DtmfMode.AUTO,
                PLAIN_ANSWER_WITH_TELEPHONE_EVENT.replace(
                    "telephone-event/8000", "telephone-event/48000")))
        .as("only the 8 kHz clock counts for a narrowband SIP peer")
        .isEqualTo(DtmfMethod.SIP_INFO);
  }

  @Test
  void aSipCallerSendsDtmfByInfoAndTheCalleeSendsItBack() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    listener.on(new SipLegEvent.Dtmf('5', Duration.ofMillis(100)));
    assertThat(bob.all(BrowserEvent.Dtmf.class)).containsExactly(new BrowserEvent.Dtmf(id, '5'));
    assertThat(ask(bob, new BrowserRequest.SendDtmf(id, "9", Duration.ofMillis(100))))
        .isEqualTo(Outcome.done());
    assertThat(leg.dtmf).containsExactly("9/100");
  }

  // --- issue 19: video ---

  @Test
  void aCallToAnAudioOnlyDestinationOrPhoneAsksTheBackendToRefuseVideo() {
    board.encryptSipMedia(
        new dev.tandem.core.media.SipMediaPolicy(
            Map.of(),
            Map.of(),
            dev.tandem.sdp.translate.MediaEncryption.PLAIN,
            Set.of(),
            new dev.tandem.core.media.SipMediaPolicy.VideoPolicy(
                Set.of("pbx"), Map.of("desk", true), false)));
    call(open("alice"), "555");
    assertThat(media.sipMedia)
        .containsExactly(
            new dev.tandem.sdp.translate.SipMedia(
                dev.tandem.sdp.translate.MediaEncryption.PLAIN, false));
    registerDesk();
    call(open("carol"), "2001");
    assertThat(media.sipMedia.get(1).video()).as("desk's own setting").isTrue();
  }

  @Test
  void aBrowsersKeyframeRequestBecomesAtMostOneInfoPerIntervalUntilThePeerRefusesOne() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.keyframes.keyframeWanted(id);
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.keyframes.keyframeWanted(id);
    assertThat(sip.leg.keyframeRequests).as("none before the call is answered").isZero();
    media.complete(1, "webrtc-answer");

    media.keyframes.keyframeWanted(id);
    media.keyframes.keyframeWanted(id);
    assertThat(sip.leg.keyframeRequests).as("one per interval").isEqualTo(1);
    clock.advance(CallSettings.KEYFRAME_REQUEST_INTERVAL.minusMillis(1));
    media.keyframes.keyframeWanted(id);
    assertThat(sip.leg.keyframeRequests).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    media.keyframes.keyframeWanted(id);
    assertThat(sip.leg.keyframeRequests).isEqualTo(2);

    sip.event(new SipLegEvent.KeyframeRequestRefused(415, "Unsupported Media Type"));
    clock.advance(Duration.ofSeconds(5));
    media.keyframes.keyframeWanted(id);
    assertThat(sip.leg.keyframeRequests).as("none after a refusal").isEqualTo(2);
    media.keyframes.keyframeWanted(new CallId("no-such-call"));
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
  }

  @Test
  void aSipPeersInfoPictureFastUpdateAsksTheBrowserForAKeyframe() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    listener.on(new SipLegEvent.KeyframeWanted());
    assertThat(media.keyframesAsked).as("not before the call is answered").isEmpty();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    listener.on(new SipLegEvent.KeyframeWanted());
    listener.on(new SipLegEvent.KeyframeWanted());
    assertThat(media.keyframesAsked).as("one per interval").containsExactly(id + " BROWSER");
    clock.advance(CallSettings.KEYFRAME_REQUEST_INTERVAL);
    listener.on(new SipLegEvent.KeyframeWanted());
    assertThat(media.keyframesAsked).hasSize(2);
    media.keyframes.keyframeWanted(id);
    assertThat(leg.keyframeRequests).as("and the other way").isEqualTo(1);
  }

  /** Alice's answered call to 1000; media results 0 (offer) and 1 (answer) are used. */
  private CallId answeredCall(Tab alice) {
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");
    return id;
  }

  @Test
  void aBrowserReOfferBecomesAReInviteAndItsAnswerComesBack() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice);
    assertThat(ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, "hold-offer")))
        .isEqualTo(Outcome.done());
    assertThat(media.calls.get(2)).isEqualTo("offer BROWSER hold-offer");
    assertThat(ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, "another")))
        .as("one renegotiation at a time")
        .isInstanceOf(Outcome.Refused.class);
    media.complete(2, "plain-hold-offer");
    assertThat(sip.leg.reinvites).containsExactly("reinvite plain-hold-offer");
    sip.event(new SipLegEvent.ReinviteAnswered("plain-hold-answer"));
    assertThat(media.calls.get(3)).isEqualTo("answer SIP plain-hold-answer");
    media.complete(3, "webrtc-hold-answer");
    assertThat(alice.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.ANSWER, "webrtc-hold-answer"));
    assertThat(ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, "resume-offer")))
        .as("free again")
        .isEqualTo(Outcome.done());
  }

  @Test
  void glareIsRetriedAfterABackOffAndARefusalRollsTheBrowserBack() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice);
    ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, "hold-offer"));
    media.complete(2, "plain-hold-offer");
    sip.event(new SipLegEvent.ReinviteFailed(491, "Request Pending"));
    clock.advance(Duration.ofMillis(2000));
    assertThat(sip.leg.reinvites).as("not before 2.1 s: we own the Call-ID").hasSize(1);
    clock.advance(Duration.ofMillis(2100));
    assertThat(sip.leg.reinvites)
        .containsExactly("reinvite plain-hold-offer", "reinvite plain-hold-offer");
    sip.event(new SipLegEvent.ReinviteFailed(488, "Not Acceptable Here"));
    assertThat(alice.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.ROLLBACK, ""));
    assertThat(alice.all(BrowserEvent.Ended.class)).as("the call goes on").isEmpty();
  }

  @Test
  void aReInviteFromSipIsReOfferedToTheBrowserAndItsAnswerGoesBackIn200() {
    Tab alice = open("alice");
    CallId id = answeredCall(alice);
    sip.event(new SipLegEvent.Reinvite("plain-reoffer"));
    assertThat(media.calls.get(2)).isEqualTo("offer SIP plain-reoffer");
    media.complete(2, "webrtc-reoffer");
    assertThat(alice.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.OFFER, "webrtc-reoffer"));
    sip.event(new SipLegEvent.Reinvite("crossing"));
    assertThat(sip.leg.reinvites).as("glare: 491").containsExactly("reject 491");
    assertThat(ask(alice, new BrowserRequest.Update(id, SdpType.ANSWER, "webrtc-reanswer")))
        .isEqualTo(Outcome.done());
    media.complete(3, "plain-reanswer");
    assertThat(sip.leg.reinvites).containsExactly("reject 491", "accept plain-reanswer");

    sip.event(new SipLegEvent.Reinvite("again"));
    media.complete(4, "webrtc-again");
    clock.advance(Renegotiation.BROWSER_ANSWER_TIMEOUT);
    assertThat(sip.leg.reinvites).as("a browser that never answers: 500").endsWith("reject 500");
    assertThat(ask(alice, new BrowserRequest.Update(id, SdpType.ANSWER, "too-late")))
        .isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void aMediaPathThatFailsEndsTheCallAtTheNextCheckWithBye() {
    Tab alice = open("alice");
    call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");
    media.packetsFromSip += 250;
    clock.advance(Duration.ofSeconds(5));
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
    media.failure = Optional.of("DTLS handshake failed: handshake timed out");
    clock.advance(Duration.ofSeconds(5));
    assertThat(alice.endReason()).isEqualTo(EndReason.FAILED);
    assertThat(sip.leg.byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void anAnsweredCallFromSipWithoutMediaEndsWithTimeoutAndBye() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, "webrtc-answer"));
    media.complete(1, "plain-answer");
    clock.advance(Duration.ofSeconds(29));
    assertThat(bob.all(BrowserEvent.Ended.class)).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    assertThat(bob.endReason()).isEqualTo(EndReason.TIMEOUT);
    assertThat(leg.byes).isEqualTo(1);
    assertNothingLeft();
  }

  @Test
  void noWatchdogRunsBeforeTheAnswerOrAfterTheEnd() {
    Tab alice = open("alice");
    CallId id = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    clock.advance(Duration.ofSeconds(45));
    assertThat(alice.all(BrowserEvent.Ended.class)).as("ringing is not media silence").isEmpty();
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(clock.pending()).as("the watchdog stopped with the call").isZero();
    assertNothingLeft();
  }

  @Test
  void aBrowserAnswerWithoutCandidatesWaitsForTheFirstOne() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = bob.all(BrowserEvent.Incoming.class).get(0).callId();
    ask(bob, new BrowserRequest.Answer(id, TRICKLING_OFFER));
    assertThat(media.calls).hasSize(1);
    ask(
        bob,
        new BrowserRequest.AddCandidate(
            id, candidate("candidate:2 1 udp 2122260223 192.0.2.8 50002 typ host")));
    assertThat(media.calls).hasSize(2);
    assertThat(media.calls.get(1)).startsWith("answer BROWSER ").contains("c=IN IP4 192.0.2.8");
    media.complete(1, "plain-answer");
    assertThat(leg.answers).containsExactly("plain-answer");
    ask(bob, new BrowserRequest.Hangup(id));
    assertNothingLeft();
  }

  @Test
  void shutdownEndsSipCallsOnBothSides() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(2, "webrtc-offer");

    board.shutdown().join();
    assertThat(sip.leg.byes).isEqualTo(1);
    assertThat(leg.rejects).containsExactly(503);
    assertThat(alice.endReason()).isEqualTo(EndReason.SERVER_SHUTDOWN);
    assertThat(bob.endReason()).isEqualTo(EndReason.SERVER_SHUTDOWN);
    assertNothingLeft();
  }

  // --- issue 17: the admin API's drain, reload and snapshots ---

  @Test
  void drainRefusesNewCallsAndInvitesWhileTheCallInProgressGoesOnThenCompletes() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId live = call(alice, "1000");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered(PLAIN_ANSWER));
    media.complete(1, "webrtc-answer");

    CompletableFuture<Void> drained = board.drain(Duration.ofSeconds(30));

    assertThat(drained).isNotDone();
    Outcome refused = ask(alice, new BrowserRequest.Invite("1001", WEBRTC_OFFER));
    assertThat(refused).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) refused).refusal()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(((Outcome.Refused) refused).message()).contains("draining");
    assertThat(board.open("carol", new Tab()).join()).isInstanceOf(SessionOutcome.Refused.class);
    FakeInboundLeg invite = new FakeInboundLeg();
    board.incoming(invite("bob"), invite);
    assertThat(invite.rejects).containsExactly(503);
    assertThat(invite.retryAfter).contains(Duration.ofSeconds(30));
    assertThat(bob.all(BrowserEvent.Incoming.class)).isEmpty();
    assertThat(alice.all(BrowserEvent.Ended.class)).as("the live call goes on").isEmpty();

    ask(alice, new BrowserRequest.Hangup(live));

    assertThat(drained).isDone();
    assertNothingLeft();
  }

  @Test
  void reconfigureRoutesTheNextCallByTheNewRulesAndTheCallInProgressKeepsItsOwn() {
    Tab alice = open("alice");
    assertThat(ask(alice, new BrowserRequest.Invite("+15551234567", WEBRTC_OFFER)))
        .as("national is carol's only")
        .isInstanceOf(Outcome.Refused.class);
    CallId live = call(alice, "1000");
    media.complete(0, "plain-offer");
    Destination trunk =
        new Destination("trunk", "127.0.0.2", 5080, Destination.Transport.UDP, Optional.empty());

    board
        .reconfigure(
            new SessionSettings(Duration.ofSeconds(30), 3, 16),
            new CallSettings(Duration.ofSeconds(60), 3, Duration.ofSeconds(30)),
            new DialPlan(
                List.of(
                    new DialRule("extensions", Pattern.compile("[0-9]{3,4}"), "pbx"),
                    new DialRule("national", Pattern.compile("\\+?[0-9]{5,15}"), "trunk")),
                Map.of("pbx", pbx, "trunk", trunk),
                Map.of(),
                Set.of("extensions", "national")),
            InboundPolicy.UNCHECKED,
            SipMediaPolicy.PLAIN)
        .join();

    call(alice, "+15551234567");
    assertThat(sip.invites).extracting(i -> i.destination().name()).containsExactly("pbx");
    media.complete(1, "plain-offer");
    assertThat(sip.invites).extracting(i -> i.destination().name()).containsExactly("pbx", "trunk");
    List<CallSnapshot> calls = board.callSnapshots().join();
    assertThat(calls).extracting(CallSnapshot::id).contains(live);
    assertThat(calls)
        .extracting(c -> c.facts().destination().orElseThrow())
        .containsExactly("pbx", "trunk");
    assertThat(calls)
        .allSatisfy(
            c -> assertThat(c.facts().direction()).isEqualTo(CallFacts.Direction.BROWSER_TO_SIP));
    assertNothingLeft();
  }

  @Test
  void snapshotsShowAnInboundCallWithItsSipCallIdAndTheSessionsInIt() {
    Tab bob = open("bob");
    board.incoming(invite("bob"), new FakeInboundLeg());
    media.complete(0, "webrtc-offer");

    CallSnapshot call = board.callSnapshots().join().get(0);
    assertThat(call.sipCallId()).contains("sip-call-1");
    assertThat(call.facts().direction()).isEqualTo(CallFacts.Direction.SIP_TO_BROWSER);
    assertThat(call.facts().from()).isEqualTo("sip:pat@127.0.0.1");
    assertThat(call.facts().to()).isEqualTo("bob");
    assertThat(call.facts().state()).isEqualTo("ringing");
    assertThat(call.since()).isEqualTo(clock.now());
    SessionSnapshot session = board.sessionSnapshots().join().get(0);
    assertThat(session.id()).isEqualTo(bob.id);
    assertThat(session.user()).isEqualTo("bob");
    assertThat(session.connected()).isTrue();
    assertThat(session.calls()).containsExactly(call.id());
    assertNothingLeft();
  }

  // --- fixtures
  // -----------------------------------------------------------------------------------

  private Tab open(String user) {
    Tab tab = new Tab();
    SessionOutcome.Opened opened = (SessionOutcome.Opened) board.open(user, tab).join();
    tab.id = opened.sessionId();
    return tab;
  }

  private Outcome ask(Tab tab, BrowserRequest request) {
    return board.request(tab.id, request).join();
  }

  private CallId call(Tab from, String to) {
    Outcome outcome = ask(from, new BrowserRequest.Invite(to, WEBRTC_OFFER));
    assertThat(outcome).isInstanceOf(Outcome.CallPlaced.class);
    return ((Outcome.CallPlaced) outcome).callId();
  }

  /** A trickled candidate for mid 0, as the SDK sends it. */
  private static Optional<IceCandidate> candidate(String line) {
    return Optional.of(
        new IceCandidate(line, Optional.of("0"), OptionalInt.of(0), Optional.empty()));
  }

  private static InboundInvite invite(String user) {
    return new InboundInvite(
        "sip-call-1", "sip:pat@127.0.0.1", "Pat", user, Optional.of("plain-offer"));
  }

  /** An INVITE without SDP (a late offer). */
  private static InboundInvite lateOffer(String user) {
    return new InboundInvite("sip-call-1", "sip:pat@127.0.0.1", "Pat", user, Optional.empty());
  }

  private void assertNothingLeft() {
    board.shutdown().join();
    events.assertEveryCallEndedOnce();
    assertThat(board.counts().join()).isEqualTo(new Switchboard.Counts(0, 0));
    assertThat(clock.pending()).as("timers left").isZero();
    assertThat(media.released).as("every media endpoint released").containsAll(media.allocated);
  }

  /** A media backend whose answers the test completes, in any order it likes. */
  static final class FakeMedia implements MediaBackend {
    final List<String> calls = new ArrayList<>();
    final List<CompletableFuture<String>> results = new ArrayList<>();
    final List<CallId> allocated = new ArrayList<>();
    final List<CallId> released = new ArrayList<>();

    /** The policy of each offer, in order. */
    final List<dev.tandem.sdp.translate.MediaEncryption> encryptions = new ArrayList<>();

    /** The SIP side's media policy of each offer, in order. */
    final List<dev.tandem.sdp.translate.SipMedia> sipMedia = new ArrayList<>();

    /** The key frames core asked for, as "call toward". */
    final List<String> keyframesAsked = new ArrayList<>();

    KeyframeListener keyframes;

    @Override
    public CompletionStage<String> offer(
        CallId call, Side from, String sdp, dev.tandem.sdp.translate.SipMedia sip) {
      encryptions.add(sip.encryption());
      sipMedia.add(sip);
      return record(call, "offer " + from + " " + sdp);
    }

    @Override
    public CompletionStage<String> answer(CallId call, Side from, String sdp) {
      return record(call, "answer " + from + " " + sdp);
    }

    @Override
    public void requestKeyframe(CallId call, Side toward) {
      keyframesAsked.add(call + " " + toward);
    }

    @Override
    public void onKeyframeWanted(KeyframeListener listener) {
      keyframes = listener;
    }

    private CompletionStage<String> record(CallId call, String what) {
      if (!allocated.contains(call)) {
        allocated.add(call);
      }
      calls.add(what);
      CompletableFuture<String> result = new CompletableFuture<>();
      results.add(result);
      return result;
    }

    void complete(int index, String sdp) {
      results.get(index).complete(sdp);
    }

    void fail(int index, MediaException e) {
      results.get(index).completeExceptionally(e);
    }

    long packetsFromSip;
    boolean activityUnknown;
    Optional<String> failure = Optional.empty();

    @Override
    public CompletionStage<MediaActivity> activity(CallId call) {
      return activityUnknown
          ? CompletableFuture.failedFuture(new MediaException("rtpengine did not answer"))
          : CompletableFuture.completedFuture(new MediaActivity(0, packetsFromSip, failure));
    }

    /** What the media did, as each release reports it. */
    dev.tandem.core.media.MediaStats stats = dev.tandem.core.media.MediaStats.NONE;

    /** When set, what every release returns (a test completes it when it likes). */
    CompletionStage<Optional<dev.tandem.core.media.MediaStats>> releases;

    @Override
    public CompletionStage<Optional<dev.tandem.core.media.MediaStats>> release(CallId call) {
      released.add(call);
      return releases != null ? releases : CompletableFuture.completedFuture(Optional.of(stats));
    }

    @Override
    public String describe() {
      return "fake media";
    }
  }

  /** The SIP side: records INVITEs; the test plays the far end through {@link #event}. */
  static final class FakeSip implements SipSide {
    final List<OutboundInvite> invites = new ArrayList<>();
    final List<FakeOutboundLeg> legs = new ArrayList<>();
    final List<SipLegListener> listeners = new ArrayList<>();
    FakeOutboundLeg leg;
    SipLegListener listener;

    @Override
    public OutboundLeg invite(OutboundInvite invite, SipLegListener listener) {
      invites.add(invite);
      this.listener = listener;
      leg = new FakeOutboundLeg();
      legs.add(leg);
      listeners.add(listener);
      return leg;
    }

    void event(SipLegEvent event) {
      listener.on(event);
    }

    @Override
    public String localUri(String user) {
      return "sip:" + user + "@127.0.0.1:5060";
    }
  }

  static final class FakeOutboundLeg implements OutboundLeg {
    final List<String> refers = new ArrayList<>();
    final List<String> notifies = new ArrayList<>();
    java.util.Optional<String> replacing = java.util.Optional.empty();

    @Override
    public void refer(String referTo) {
      refers.add(referTo);
    }

    @Override
    public java.util.Optional<String> replacingUri() {
      return replacing;
    }

    @Override
    public void notifyRefer(int status, String reason) {
      notifies.add(status + " " + reason);
    }

    int cancels;
    int byes;
    final List<String> dtmf = new ArrayList<>();

    final List<String> reinvites = new ArrayList<>();

    @Override
    public void reinvite(String sdp) {
      reinvites.add("reinvite " + sdp);
    }

    @Override
    public void acceptReinvite(String sdp) {
      reinvites.add("accept " + sdp);
    }

    @Override
    public void rejectReinvite(int status, String reason) {
      reinvites.add("reject " + status);
    }

    @Override
    public void dtmf(String digits, Duration toneDuration) {
      dtmf.add(digits + "/" + toneDuration.toMillis());
    }

    int keyframeRequests;

    @Override
    public void requestKeyframe() {
      keyframeRequests++;
    }

    @Override
    public void cancel() {
      cancels++;
    }

    @Override
    public void bye() {
      byes++;
    }
  }

  static final class FakeInboundLeg implements InboundLeg {
    final List<String> refers = new ArrayList<>();
    final List<String> notifies = new ArrayList<>();
    java.util.Optional<String> replacing = java.util.Optional.empty();

    @Override
    public void refer(String referTo) {
      refers.add(referTo);
    }

    @Override
    public java.util.Optional<String> replacingUri() {
      return replacing;
    }

    @Override
    public void notifyRefer(int status, String reason) {
      notifies.add(status + " " + reason);
    }

    int ringing;
    int byes;
    final List<String> dtmf = new ArrayList<>();

    final List<String> reinvites = new ArrayList<>();

    @Override
    public void reinvite(String sdp) {
      reinvites.add("reinvite " + sdp);
    }

    @Override
    public void acceptReinvite(String sdp) {
      reinvites.add("accept " + sdp);
    }

    @Override
    public void rejectReinvite(int status, String reason) {
      reinvites.add("reject " + status);
    }

    @Override
    public void dtmf(String digits, Duration toneDuration) {
      dtmf.add(digits + "/" + toneDuration.toMillis());
    }

    int keyframeRequests;

    @Override
    public void requestKeyframe() {
      keyframeRequests++;
    }

    final List<String> answers = new ArrayList<>();
    final List<String> offers = new ArrayList<>();
    final List<Integer> rejects = new ArrayList<>();

    @Override
    public void offer(String sdp) {
      offers.add(sdp);
    }

    @Override
    public void ringing() {
      ringing++;
    }

    @Override
    public void answer(String sdp) {
      answers.add(sdp);
    }

    @Override
    public void reject(int status, String reason) {
      rejects.add(status);
    }

    final List<String> warnings = new ArrayList<>();
    Optional<Duration> retryAfter = Optional.empty();

    @Override
    public void reject(SipReasons.Status status, String why, Optional<Duration> retryAfter) {
      this.retryAfter = retryAfter;
      InboundLeg.super.reject(status, why, retryAfter);
    }

    @Override
    public void reject(SipReasons.Status status, String why) {
      warnings.add(why);
      InboundLeg.super.reject(status, why);
    }

    @Override
    public void bye() {
      byes++;
    }
  }
}

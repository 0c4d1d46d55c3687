package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.call.SipCallsTest.FakeInboundLeg;
import dev.tandem.core.call.SipCallsTest.FakeMedia;
import dev.tandem.core.call.SipCallsTest.FakeSip;
import dev.tandem.core.call.SwitchboardTest.Tab;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.DialRule;
import dev.tandem.core.events.CallRecord;
import dev.tandem.core.events.CallRecord.Direction;
import dev.tandem.core.media.MediaStats;
import dev.tandem.core.registrar.RegisterRequest;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.core.sip.InboundInvite;
import dev.tandem.core.sip.SipLegEvent;
import dev.tandem.core.sip.SipLegListener;
import dev.tandem.core.time.ManualScheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.LoggingKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The events and record of each kind of call, as listeners of the switchboard see them. */
class CallEventsTest {
  private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final ManualScheduler clock = new ManualScheduler(T0);
  private final FakeMedia media = new FakeMedia();
  private final FakeSip sip = new FakeSip();
  private final Destination pbx =
      new Destination("pbx", "127.0.0.1", 5070, Destination.Transport.UDP, Optional.empty());
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
                  new DialPlan(
                      List.of(new DialRule("all", Pattern.compile("[0-9]{3,4}"), "pbx")),
                      Map.of("pbx", pbx),
                      Map.of(),
                      Set.of("all")),
                  media,
                  sip,
                  registrar,
                  (user, destination) -> Optional.empty(),
                  DestinationHealth.ALL_UP)));
  private final CallEventLog events = new CallEventLog();

  {
    board.listen(events);
  }

  @AfterEach
  void clearLoggingContext() {
    MDC.clear();
  }

  @Test
  void aBrowserToBrowserCallStartsRingsIsAnsweredAndEndsWithItsTimes() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    assertThat(events.steps(id)).containsExactly("Started", "Ringing");
    clock.advance(Duration.ofSeconds(3));
    ask(bob, new BrowserRequest.Answer(id, OFFER));
    clock.advance(Duration.ofSeconds(40));
    ask(bob, new BrowserRequest.Hangup(id));

    assertThat(events.steps(id)).containsExactly("Started", "Ringing", "Answered", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.direction()).isEqualTo(Direction.BROWSER_TO_BROWSER);
    assertThat(record.from()).isEqualTo("alice");
    assertThat(record.to()).isEqualTo("bob");
    assertThat(record.destination()).isEmpty();
    assertThat(record.sipCallId()).isEmpty();
    assertThat(record.invited()).isEqualTo(T0);
    assertThat(record.ringing()).contains(T0);
    assertThat(record.setupTime()).contains(Duration.ofSeconds(3));
    assertThat(record.duration()).contains(Duration.ofSeconds(40));
    assertThat(record.endReason()).as("the callee hung up").contains(EndReason.REMOTE_HANGUP);
    assertThat(record.sipCode()).isEmpty();
    assertThat(record.media()).isEmpty();
    assertNothingLeft();
  }

  @Test
  void aBrowserToBrowserCallTheCallerCancelsHasNoAnswerNorDuration() {
    Tab alice = open("alice");
    open("bob");
    CallId id = call(alice, "bob");
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(events.steps(id)).containsExactly("Started", "Ringing", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.endReason()).contains(EndReason.CANCELLED);
    assertThat(record.setupTime()).isEmpty();
    assertThat(record.duration()).isEmpty();
    assertNothingLeft();
  }

  @Test
  void aCallToSipCarriesItsSipCallIdDestinationAndTheAnswersCode() {
    Tab alice = open("alice");
    CallId id = call(alice, "555");
    media.complete(0, "plain-offer");
    MDC.put(LoggingKeys.SIP_CALL_ID, "out-1@bridge"); // as the SIP adapter reports the leg's events
    clock.advance(Duration.ofMillis(300));
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    clock.advance(Duration.ofSeconds(2));
    sip.event(new SipLegEvent.Answered("plain-answer"));
    assertThat(events.steps(id)).as("answered once the browser has the answer").hasSize(2);
    media.complete(1, "webrtc-answer");
    clock.advance(Duration.ofSeconds(10));
    media.stats =
        new MediaStats(
            new MediaStats.Flow(500, 86_000, OptionalLong.of(2), OptionalLong.of(40)),
            new MediaStats.Flow(498, 85_656, OptionalLong.empty(), OptionalLong.empty()));
    sip.event(new SipLegEvent.Bye(Optional.empty()));
    MDC.clear();

    assertThat(events.steps(id)).containsExactly("Started", "Ringing", "Answered", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(record.sipCallId()).contains("out-1@bridge");
    assertThat(record.from()).isEqualTo("alice");
    assertThat(record.to()).isEqualTo("555");
    assertThat(record.destination()).contains("pbx");
    assertThat(record.ringing()).contains(T0.plusMillis(300));
    assertThat(record.setupTime()).contains(Duration.ofMillis(2300));
    assertThat(record.duration()).contains(Duration.ofSeconds(10));
    assertThat(record.endReason()).contains(EndReason.REMOTE_HANGUP);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(200));
    assertThat(record.media()).contains(media.stats);
    assertNothingLeft();
  }

  @Test
  void theEndedEventWaitsForTheMediaFiguresButTheCallEndsAtOnce() {
    CompletableFuture<Optional<MediaStats>> figures = new CompletableFuture<>();
    media.releases = figures;
    Tab alice = open("alice");
    CallId id = call(alice, "555");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Answered("plain-answer"));
    media.complete(1, "webrtc-answer");
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(alice.all(BrowserEvent.Ended.class)).hasSize(1);
    assertThat(board.counts().join().calls()).isZero();
    assertThat(events.steps(id)).containsExactly("Started", "Answered");
    clock.advance(Duration.ofSeconds(1));
    figures.complete(Optional.of(MediaStats.NONE));
    CallRecord record = events.ended(id);
    assertThat(record.ended()).as("the end is when the call ended").contains(T0);
    assertThat(record.media()).contains(MediaStats.NONE);
    assertNothingLeft();
  }

  @Test
  void aBusyCalleeEndsTheCallWithItsStatus() {
    Tab alice = open("alice");
    CallId id = call(alice, "555");
    media.complete(0, "plain-offer");
    sip.event(new SipLegEvent.Failed(486, "Busy Here"));
    assertThat(events.steps(id)).containsExactly("Started", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.endReason()).contains(EndReason.BUSY);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(486));
    assertThat(record.setupTime()).isEmpty();
    assertNothingLeft();
  }

  @Test
  void aCallFromSipRingsWithTheBridges180AndNamesWhereItCameFrom() {
    Tab bob = open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    SipLegListener listener = board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    CallId id = events.onlyCall();
    assertThat(events.steps(id)).containsExactly("Started", "Ringing");
    clock.advance(Duration.ofSeconds(4));
    ask(bob, new BrowserRequest.Answer(id, OFFER));
    media.complete(1, "plain-answer");
    assertThat(leg.answers).containsExactly("plain-answer");
    clock.advance(Duration.ofSeconds(30));
    listener.on(new SipLegEvent.Bye(Optional.empty()));

    assertThat(events.steps(id)).containsExactly("Started", "Ringing", "Answered", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.direction()).isEqualTo(Direction.INBOUND);
    assertThat(record.sipCallId()).contains("in-1@pbx");
    assertThat(record.from()).isEqualTo("Pat");
    assertThat(record.to()).isEqualTo("bob");
    assertThat(record.destination()).contains("unchecked");
    assertThat(record.setupTime()).contains(Duration.ofSeconds(4));
    assertThat(record.duration()).contains(Duration.ofSeconds(30));
    assertThat(record.endReason()).as("the SIP caller hung up").contains(EndReason.HANGUP);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(200));
    assertNothingLeft();
  }

  @Test
  void aCallFromSipCancelledWhileRingingEndsWith487() {
    open("bob");
    SipLegListener listener = board.incoming(invite("bob"), new FakeInboundLeg());
    media.complete(0, "webrtc-offer");
    listener.on(new SipLegEvent.Cancelled());
    CallRecord record = events.ended(events.onlyCall());
    assertThat(record.endReason()).contains(EndReason.CANCELLED);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(487));
    assertNothingLeft();
  }

  @Test
  void aCallNobodyAnswersEndsWithTheBridgesRejection() {
    open("bob");
    FakeInboundLeg leg = new FakeInboundLeg();
    board.incoming(invite("bob"), leg);
    media.complete(0, "webrtc-offer");
    clock.advance(Duration.ofSeconds(60));
    assertThat(leg.rejects).containsExactly(480);
    CallRecord record = events.ended(events.onlyCall());
    assertThat(record.endReason()).contains(EndReason.NO_ANSWER);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(480));
    assertThat(record.ended()).contains(T0.plusSeconds(60));
    assertNothingLeft();
  }

  @Test
  void aPhoneToPhoneCallIsRecordedSipToSip() {
    registerDesk();
    FakeInboundLeg caller = new FakeInboundLeg();
    SipLegListener fromCaller =
        board.incoming(
            new InboundInvite(
                "p2p-1", "sip:1001@127.0.0.1", null, "2001", Optional.of("caller-offer")),
            caller);
    CallId id = events.onlyCall();
    sip.event(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    clock.advance(Duration.ofSeconds(1));
    sip.event(new SipLegEvent.Answered("callee-answer"));
    clock.advance(Duration.ofSeconds(5));
    fromCaller.on(new SipLegEvent.Bye(Optional.empty()));

    assertThat(events.steps(id)).containsExactly("Started", "Ringing", "Answered", "Ended");
    CallRecord record = events.ended(id);
    assertThat(record.direction()).isEqualTo(Direction.SIP_TO_SIP);
    assertThat(record.sipCallId()).contains("p2p-1");
    assertThat(record.from()).isEqualTo("sip:1001@127.0.0.1");
    assertThat(record.to()).isEqualTo("2001");
    assertThat(record.endReason()).contains(EndReason.HANGUP);
    assertThat(record.sipCode()).isEqualTo(OptionalInt.of(200));
    assertThat(record.duration()).contains(Duration.ofSeconds(5));
    assertThat(record.media()).isEmpty();
    assertNothingLeft();
  }

  @Test
  void shutdownEndsEveryKindOfCallOnceWithServerShutdown() {
    Tab alice = open("alice");
    open("bob");
    call(alice, "bob");
    call(alice, "555");
    registerDesk();
    board.incoming(
        new InboundInvite("p2p-2", "sip:1001@127.0.0.1", null, "2001", Optional.of("offer")),
        new FakeInboundLeg());
    board.incoming(invite("bob"), new FakeInboundLeg());
    board.shutdown().join();
    assertThat(events.steps(events.events.get(2).record().callId()))
        .as("the call to SIP ends once the media step it started is over")
        .doesNotContain("Ended");
    media.results.forEach(r -> r.complete("late"));
    events.assertEveryCallEndedOnce();
    List<CallRecord> ended =
        events.events.stream()
            .filter(e -> e instanceof dev.tandem.core.events.CallEvent.Ended)
            .map(dev.tandem.core.events.CallEvent::record)
            .toList();
    assertThat(ended)
        .extracting(CallRecord::direction)
        .containsExactlyInAnyOrder(
            Direction.BROWSER_TO_BROWSER,
            Direction.OUTBOUND,
            Direction.SIP_TO_SIP,
            Direction.INBOUND);
    assertThat(ended)
        .allSatisfy(r -> assertThat(r.endReason()).contains(EndReason.SERVER_SHUTDOWN));
  }

  @Test
  void aListenerThatThrowsBreaksNeitherTheCallNorTheOtherListeners() {
    CallEventLog later = new CallEventLog();
    board.listen(
        event -> {
          throw new IllegalStateException("broken listener");
        });
    board.listen(later);
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, OFFER));
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(alice.all(BrowserEvent.Ended.class)).hasSize(1);
    assertThat(later.steps(id)).containsExactly("Started", "Ringing", "Answered", "Ended");
    assertNothingLeft();
  }

  // --- fixtures ----------------------------------------------------------------------------------

  private void registerDesk() {
    registrar.register(
        "desk",
        new RegisterRequest(
            "reg-1",
            1,
            false,
            List.of(
                new RegisterRequest.ContactUpdate("sip:desk@10.0.0.1:5062", Duration.ofHours(1))),
            Destination.Transport.UDP,
            "192.0.2.7",
            5062));
  }

  private static InboundInvite invite(String user) {
    return new InboundInvite(
        "in-1@pbx", "sip:pat@127.0.0.1", "Pat", user, Optional.of("plain-offer"));
  }

  private Tab open(String user) {
    Tab tab = new Tab();
    tab.id = ((SessionOutcome.Opened) board.open(user, tab).join()).sessionId();
    return tab;
  }

  private Outcome ask(Tab tab, BrowserRequest request) {
    return board.request(tab.id, request).join();
  }

  private CallId call(Tab from, String to) {
    Outcome outcome = ask(from, new BrowserRequest.Invite(to, OFFER));
    assertThat(outcome).isInstanceOf(Outcome.CallPlaced.class);
    return ((Outcome.CallPlaced) outcome).callId();
  }

  private void assertNothingLeft() {
    board.shutdown().join();
    events.assertEveryCallEndedOnce();
    assertThat(board.counts().join()).isEqualTo(new Switchboard.Counts(0, 0));
    assertThat(clock.pending()).as("timers left").isZero();
  }
}

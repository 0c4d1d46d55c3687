package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.BrowserConnection;
import dev.tandem.core.browser.BrowserEvent;
import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.BrowserRequest.RejectReason;
import dev.tandem.core.browser.DtmfMethod;
import dev.tandem.core.browser.IceCandidate;
import dev.tandem.core.browser.SdpType;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.time.ManualScheduler;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.core.vocabulary.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SwitchboardTest {
  private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String ANSWER = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

  private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
  private final Switchboard board =
      new Switchboard(
          Runnable::run,
          clock,
          new SessionSettings(Duration.ofSeconds(30), 3, 16),
          new CallSettings(Duration.ofSeconds(60), 2, Duration.ofSeconds(30)),
          sdp ->
              sdp.startsWith("v=0")
                  ? Optional.empty()
                  : Optional.of(
                      new Outcome.Refused(
                          Refusal.BAD_SDP, "line 1: v= must come first", OptionalInt.of(1))));

  private final CallEventLog events = new CallEventLog();

  {
    board.listen(events);
  }

  /** A browser tab: records what it is sent. */
  static class Tab implements BrowserConnection {
    final List<BrowserEvent> events = new ArrayList<>();
    final List<Integer> closes = new ArrayList<>();
    SessionId id;
    String resumeToken;

    @Override
    public void deliver(BrowserEvent event) {
      events.add(event);
    }

    @Override
    public void close(int code, String reason) {
      closes.add(code);
    }

    <T extends BrowserEvent> List<T> all(Class<T> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    EndReason endReason() {
      List<BrowserEvent.Ended> ended = all(BrowserEvent.Ended.class);
      assertThat(ended).as("one ended event").hasSize(1);
      return ended.get(0).reason();
    }
  }

  private Tab open(String user) {
    Tab tab = new Tab();
    SessionOutcome outcome = board.open(user, tab).join();
    assertThat(outcome).isInstanceOf(SessionOutcome.Opened.class);
    tab.id = ((SessionOutcome.Opened) outcome).sessionId();
    tab.resumeToken = ((SessionOutcome.Opened) outcome).resumeToken();
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
    assertThat(clock.pending()).isZero();
  }

  @Test
  void ringsEveryTabOfTheCalleeAndTheFirstAnswerWins() {
    Tab alice = open("alice");
    Tab bob1 = open("bob");
    Tab bob2 = open("bob");
    CallId id = call(alice, "bob");

    assertThat(bob1.all(BrowserEvent.Incoming.class))
        .containsExactly(
            new BrowserEvent.Incoming(id, "alice", Optional.of(OFFER), DtmfMethod.SIGNALING));
    assertThat(bob2.all(BrowserEvent.Incoming.class)).hasSize(1);
    assertThat(alice.all(BrowserEvent.Ringing.class)).containsExactly(new BrowserEvent.Ringing(id));

    assertThat(ask(bob2, new BrowserRequest.Answer(id, ANSWER))).isEqualTo(Outcome.done());
    assertThat(alice.all(BrowserEvent.Answered.class))
        .containsExactly(new BrowserEvent.Answered(id, ANSWER, DtmfMethod.SIGNALING));
    assertThat(bob1.endReason()).isEqualTo(EndReason.ANSWERED_ELSEWHERE);

    Outcome late = ask(bob1, new BrowserRequest.Answer(id, ANSWER));
    assertThat(late).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) late).refusal()).isEqualTo(Refusal.NOT_FOUND);
  }

  @Test
  void relaysCandidatesUpdatesAndDtmfUntouchedOnceAnswered() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    IceCandidate early =
        new IceCandidate(
            "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host",
            Optional.of("0"),
            OptionalInt.of(0),
            Optional.empty());
    ask(alice, new BrowserRequest.AddCandidate(id, Optional.of(early)));
    assertThat(bob.all(BrowserEvent.Candidate.class)).as("buffered until answer").isEmpty();

    ask(bob, new BrowserRequest.Answer(id, ANSWER));
    assertThat(bob.all(BrowserEvent.Candidate.class))
        .containsExactly(new BrowserEvent.Candidate(id, Optional.of(early)));

    ask(bob, new BrowserRequest.AddCandidate(id, Optional.empty()));
    assertThat(alice.all(BrowserEvent.Candidate.class))
        .containsExactly(new BrowserEvent.Candidate(id, Optional.empty()));

    ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, OFFER));
    assertThat(bob.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.OFFER, OFFER));

    ask(alice, new BrowserRequest.SendDtmf(id, "1,#", Duration.ofMillis(100)));
    assertThat(bob.all(BrowserEvent.Dtmf.class))
        .containsExactly(new BrowserEvent.Dtmf(id, '1'), new BrowserEvent.Dtmf(id, '#'));
  }

  @Test
  void hangupEndsTheCallForBothSides() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, ANSWER));
    ask(bob, new BrowserRequest.Hangup(id));
    assertThat(bob.endReason()).isEqualTo(EndReason.HANGUP);
    assertThat(alice.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(board.counts().join().calls()).isZero();
    assertNothingLeft();
  }

  @Test
  void callerHangingUpWhileRingingCancelsEveryTab() {
    Tab alice = open("alice");
    Tab bob1 = open("bob");
    Tab bob2 = open("bob");
    CallId id = call(alice, "bob");
    ask(alice, new BrowserRequest.Hangup(id));
    assertThat(alice.endReason()).isEqualTo(EndReason.HANGUP);
    assertThat(bob1.endReason()).isEqualTo(EndReason.CANCELLED);
    assertThat(bob2.endReason()).isEqualTo(EndReason.CANCELLED);
    assertThat(clock.pending()).as("ring timer cancelled").isZero();
  }

  @Test
  void callerIsToldBusyOnlyWhenEveryTabDeclined() {
    Tab alice = open("alice");
    Tab bob1 = open("bob");
    Tab bob2 = open("bob");
    CallId id = call(alice, "bob");
    ask(bob1, new BrowserRequest.Reject(id, RejectReason.BUSY));
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
    ask(bob2, new BrowserRequest.Reject(id, RejectReason.BUSY));
    assertThat(alice.endReason()).isEqualTo(EndReason.BUSY);
    assertNothingLeft();
  }

  @Test
  void ringTimeoutEndsWithNoAnswer() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    call(alice, "bob");
    clock.advance(Duration.ofSeconds(59));
    assertThat(alice.all(BrowserEvent.Ended.class)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(alice.endReason()).isEqualTo(EndReason.NO_ANSWER);
    assertThat(bob.endReason()).isEqualTo(EndReason.NO_ANSWER);
  }

  @Test
  void offlineCalleeIsUnavailable() {
    Tab alice = open("alice");
    call(alice, "bob");
    assertThat(alice.endReason()).isEqualTo(EndReason.UNAVAILABLE);
    assertNothingLeft();
  }

  @Test
  void resumeWithinTheGracePeriodKeepsTheCallAndDeliversWhatWasMissed() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, ANSWER));

    board.disconnected(alice.id, alice);
    ask(bob, new BrowserRequest.Update(id, SdpType.OFFER, OFFER));
    clock.advance(Duration.ofSeconds(29));

    Tab aliceAgain = new Tab();
    SessionOutcome resumed = board.resume(alice.resumeToken, aliceAgain).join();
    assertThat(resumed).isInstanceOf(SessionOutcome.Opened.class);
    SessionOutcome.Opened opened = (SessionOutcome.Opened) resumed;
    assertThat(opened.sessionId()).isEqualTo(alice.id);
    assertThat(opened.resumeToken()).isNotEqualTo(alice.resumeToken);
    assertThat(opened.calls())
        .containsExactly(new SessionOutcome.CallSummary(id, "active", true, "bob"));
    assertThat(aliceAgain.all(BrowserEvent.Update.class))
        .containsExactly(new BrowserEvent.Update(id, SdpType.OFFER, OFFER));

    clock.advance(Duration.ofMinutes(5));
    assertThat(bob.all(BrowserEvent.Ended.class)).as("call survived the drop").isEmpty();
    assertThat(board.resume(alice.resumeToken, new Tab()).join())
        .as("old token is spent")
        .isInstanceOf(SessionOutcome.Refused.class);
  }

  @Test
  void callsEndWhenTheGracePeriodRunsOut() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, ANSWER));
    board.disconnected(alice.id, alice);
    clock.advance(Duration.ofSeconds(30));
    assertThat(bob.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    SessionOutcome late = board.resume(alice.resumeToken, new Tab()).join();
    assertThat(late)
        .isEqualTo(
            new SessionOutcome.Refused(Refusal.RESUME_EXPIRED, "unknown or expired resume token"));
    assertNothingLeft();
  }

  @Test
  void resumingOnASecondConnectionClosesTheFirst() {
    Tab alice = open("alice");
    Tab other = new Tab();
    assertThat(board.resume(alice.resumeToken, other).join())
        .isInstanceOf(SessionOutcome.Opened.class);
    assertThat(alice.closes).containsExactly(4409);
  }

  @Test
  void limitsSessionsPerUser() {
    open("alice");
    open("alice");
    open("alice");
    SessionOutcome fourth = board.open("alice", new Tab()).join();
    assertThat(fourth).isInstanceOf(SessionOutcome.Refused.class);
    assertThat(((SessionOutcome.Refused) fourth).refusal()).isEqualTo(Refusal.TOO_MANY_SESSIONS);
  }

  @Test
  void aCleanlyClosedSessionFreesItsPlaceAtOnceAndEndsItsCalls() {
    Tab bob = open("bob");
    for (int reload = 0; reload < 10; reload++) {
      Tab alice = open("alice"); // the limit is 3: ten in a row only work if each is freed
      if (reload == 0) {
        CallId id = call(alice, "bob");
        ask(bob, new BrowserRequest.Answer(id, ANSWER));
      }
      board.closed(alice.id, alice);
      assertThat(board.resume(alice.resumeToken, new Tab()).join())
          .isInstanceOf(SessionOutcome.Refused.class);
    }
    assertThat(bob.endReason()).isEqualTo(EndReason.REMOTE_HANGUP);
    assertThat(board.counts().join()).isEqualTo(new Switchboard.Counts(1, 0));
    assertNothingLeft();
  }

  @Test
  void aDroppedConnectionKeepsItsPlaceDuringTheGracePeriod() {
    for (int i = 0; i < 3; i++) {
      Tab alice = open("alice");
      board.disconnected(alice.id, alice);
    }
    assertThat(board.open("alice", new Tab()).join()).isInstanceOf(SessionOutcome.Refused.class);
    clock.advance(Duration.ofSeconds(30));
    open("alice");
  }

  @Test
  void limitsCallsPerUserAndTreatsAFullCalleeAsBusy() {
    Tab alice = open("alice");
    open("bob");
    open("carol");
    call(alice, "bob");
    call(alice, "carol");
    Outcome third = ask(alice, new BrowserRequest.Invite("bob", OFFER));
    assertThat(third).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) third).refusal()).isEqualTo(Refusal.TOO_MANY_CALLS);

    Tab dave = open("dave");
    Tab bob2 = open("bob");
    CallId toBob = call(dave, "bob");
    ask(bob2, new BrowserRequest.Invite("carol", OFFER));
    CallId again = call(dave, "bob");
    assertThat(dave.all(BrowserEvent.Ended.class))
        .extracting(BrowserEvent.Ended::callId, BrowserEvent.Ended::reason)
        .contains(org.assertj.core.groups.Tuple.tuple(again, EndReason.BUSY));
    assertThat(toBob).isNotEqualTo(again);
  }

  @Test
  void badSdpIsRefusedWithItsLineAndNothingIsCreated() {
    Tab alice = open("alice");
    open("bob");
    Outcome outcome = ask(alice, new BrowserRequest.Invite("bob", "garbage"));
    assertThat(outcome)
        .isEqualTo(
            new Outcome.Refused(Refusal.BAD_SDP, "line 1: v= must come first", OptionalInt.of(1)));
    assertThat(board.counts().join().calls()).isZero();
  }

  @Test
  void sipDestinationsNeedADialPlan() {
    Tab alice = open("alice");
    Outcome outcome = ask(alice, new BrowserRequest.Invite("sip:1000@pbx.example", OFFER));
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.NOT_FOUND);
  }

  @Test
  void requestsOnUnknownCallsAreRefused() {
    Tab alice = open("alice");
    Outcome outcome = ask(alice, new BrowserRequest.Hangup(CallId.random()));
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.NOT_FOUND);
  }

  @Test
  void updateWhileRingingIsAnInvalidState() {
    Tab alice = open("alice");
    open("bob");
    CallId id = call(alice, "bob");
    Outcome outcome = ask(alice, new BrowserRequest.Update(id, SdpType.OFFER, OFFER));
    assertThat(((Outcome.Refused) outcome).refusal()).isEqualTo(Refusal.INVALID_STATE);
  }

  @Test
  void answersTheRequestBeforeSendingItsEvents() {
    List<String> order = new ArrayList<>();
    Tab alice =
        new Tab() {
          @Override
          public void deliver(BrowserEvent event) {
            order.add(event.getClass().getSimpleName());
          }
        };
    alice.id = ((SessionOutcome.Opened) board.open("alice", alice).join()).sessionId();
    open("bob");
    board.request(alice.id, new BrowserRequest.Invite("bob", OFFER), outcome -> order.add("reply"));
    assertThat(order).containsExactly("reply", "Ringing");

    order.clear();
    board.request(
        alice.id, new BrowserRequest.Invite("nobody", OFFER), outcome -> order.add("reply"));
    assertThat(order).containsExactly("reply", "Ended");
  }

  /** What reached the browsers, and when each request was answered, in one order. */
  private final List<String> wire = new ArrayList<>();

  /** A tab that writes what it is sent to {@link #wire}. */
  private Tab wired(String user) {
    Tab tab =
        new Tab() {
          @Override
          public void deliver(BrowserEvent event) {
            super.deliver(event);
            wire.add(user + " " + event.getClass().getSimpleName());
          }
        };
    tab.id = ((SessionOutcome.Opened) board.open(user, tab).join()).sessionId();
    return tab;
  }

  /** Sends {@code request}, writing its reply to {@link #wire} when it comes. */
  private void askWired(Tab tab, String user, BrowserRequest request) {
    board.request(
        tab.id,
        request,
        outcome -> wire.add(user + " reply " + request.getClass().getSimpleName()));
  }

  @Test
  void everyRequestIsAnsweredBeforeTheEventsItCaused() {
    Tab alice = wired("alice");
    Tab bob = wired("bob");
    CallId id = call(alice, "bob");
    wire.clear();
    askWired(alice, "alice", new BrowserRequest.Hangup(id));
    assertThat(wire)
        .as("the caller hangs up while ringing")
        .startsWith("alice reply Hangup")
        .containsExactlyInAnyOrder("alice reply Hangup", "alice Ended", "bob Ended");

    id = call(alice, "bob");
    wire.clear();
    askWired(bob, "bob", new BrowserRequest.Reject(id, RejectReason.DECLINED));
    assertThat(wire)
        .as("the callee declines")
        .startsWith("bob reply Reject")
        .containsExactlyInAnyOrder("bob reply Reject", "bob Ended", "alice Ended");

    id = call(alice, "bob");
    wire.clear();
    askWired(bob, "bob", new BrowserRequest.Answer(id, ANSWER));
    assertThat(wire.get(0)).isEqualTo("bob reply Answer");
    wire.clear();
    askWired(bob, "bob", new BrowserRequest.Hangup(id));
    assertThat(wire)
        .as("the callee hangs up an answered call")
        .startsWith("bob reply Hangup")
        .containsExactlyInAnyOrder("bob reply Hangup", "bob Ended", "alice Ended");
    assertNothingLeft();
  }

  @Test
  void resumeAnswersBeforeReplayingQueuedEvents() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, ANSWER));
    board.disconnected(alice.id, alice);
    ask(bob, new BrowserRequest.Hangup(id));
    List<String> order = new ArrayList<>();
    Tab again =
        new Tab() {
          @Override
          public void deliver(BrowserEvent event) {
            order.add(event.getClass().getSimpleName());
          }
        };
    board.resume(alice.resumeToken, again, outcome -> order.add("reply"));
    assertThat(order).containsExactly("reply", "Ended");
  }

  @Test
  void shutdownEndsEveryCallAndClosesEveryConnection() {
    Tab alice = open("alice");
    Tab bob = open("bob");
    CallId id = call(alice, "bob");
    ask(bob, new BrowserRequest.Answer(id, ANSWER));
    board.shutdown().join();
    assertThat(alice.endReason()).isEqualTo(EndReason.SERVER_SHUTDOWN);
    assertThat(bob.endReason()).isEqualTo(EndReason.SERVER_SHUTDOWN);
    assertThat(alice.closes).containsExactly(1001);
    assertThat(board.open("carol", new Tab()).join()).isInstanceOf(SessionOutcome.Refused.class);
    assertNothingLeft();
  }
}

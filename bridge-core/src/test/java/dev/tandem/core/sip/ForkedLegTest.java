package dev.tandem.core.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.core.vocabulary.CallId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForkedLegTest {
  /** A SIP side that records what each branch was asked to do. */
  static final class Branches implements SipSide {
    final List<SipLegListener> listeners = new ArrayList<>();
    final List<List<String>> commands = new ArrayList<>();

    /**
     * What happens while the n-th INVITE is being placed, before {@code invite} returns: the SIP
     * side failing it at once (no route, no transport), or another branch's answer crossing it.
     */
    final Map<Integer, Runnable> whilePlacing = new HashMap<>();

    @Override
    public OutboundLeg invite(OutboundInvite invite, SipLegListener listener) {
      int n = listeners.size();
      listeners.add(listener);
      List<String> done = new ArrayList<>();
      commands.add(done);
      whilePlacing.getOrDefault(n, () -> {}).run();
      return new OutboundLeg() {
        @Override
        public void cancel() {
          done.add("cancel");
        }

        @Override
        public void bye() {
          done.add("bye");
        }

        @Override
        public void dtmf(String digits, Duration toneDuration) {
          done.add("dtmf " + digits);
        }

        @Override
        public void requestKeyframe() {
          done.add("keyframe");
        }

        @Override
        public void reinvite(String sdp) {
          done.add("reinvite");
        }

        @Override
        public void acceptReinvite(String sdp) {}

        @Override
        public void rejectReinvite(int status, String reason) {}

        @Override
        public void refer(String referTo) {
          done.add("refer " + referTo);
        }

        @Override
        public Optional<String> replacingUri() {
          return Optional.empty();
        }

        @Override
        public void notifyRefer(int status, String reason) {}
      };
    }

    @Override
    public String localUri(String user) {
      return "sip:" + user + "@127.0.0.1";
    }
  }

  private final Branches sip = new Branches();
  private final List<SipLegEvent> events = new ArrayList<>();

  private OutboundLeg fork(int n) {
    List<OutboundInvite> invites = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      invites.add(
          new OutboundInvite(
              CallId.random(),
              new Destination(
                  "phone", "127.0.0.1", 5060 + i, Destination.Transport.UDP, Optional.empty()),
              "sip:bob@127.0.0.1:" + (5060 + i),
              "alice",
              "v=0"));
    }
    return ForkedLeg.place(sip, invites, events::add);
  }

  @Test
  void theFirstAnswerWinsTheOthersAreCancelledALateAnswerGetsBye() {
    OutboundLeg leg = fork(3);
    sip.listeners.get(1).on(new SipLegEvent.Provisional(180, "Ringing", Optional.empty()));
    sip.listeners.get(2).on(new SipLegEvent.Answered("v=0 two"));
    assertEquals(List.of("cancel"), sip.commands.get(0));
    assertEquals(List.of("cancel"), sip.commands.get(1));
    assertEquals(List.of(), sip.commands.get(2));
    sip.listeners.get(0).on(new SipLegEvent.Answered("v=0 zero"));
    assertEquals(List.of("cancel", "bye"), sip.commands.get(0));
    sip.listeners.get(1).on(new SipLegEvent.Failed(487, "Request Terminated"));
    assertEquals(2, events.size(), "only the ringing and the winner's answer: " + events);
    assertEquals("v=0 two", assertInstanceOf(SipLegEvent.Answered.class, events.get(1)).sdp());

    leg.dtmf("5", Duration.ofMillis(100));
    leg.bye();
    assertEquals(List.of("dtmf 5", "bye"), sip.commands.get(2));
    sip.listeners.get(2).on(new SipLegEvent.Bye(Optional.empty()));
    assertInstanceOf(SipLegEvent.Bye.class, events.get(2));
  }

  @Test
  void whenEveryBranchFailsTheMostTellingFailureIsPassedOnOnce() {
    fork(3);
    sip.listeners.get(0).on(new SipLegEvent.Failed(408, "Request Timeout"));
    sip.listeners.get(1).on(new SipLegEvent.Failed(486, "Busy Here"));
    assertTrue(events.isEmpty());
    sip.listeners.get(2).on(new SipLegEvent.Failed(480, "Temporarily Unavailable"));
    assertEquals(List.of(new SipLegEvent.Failed(486, "Busy Here")), events);
  }

  @Test
  void aGlobalFailureEndsTheSearchAtOnce() {
    fork(2);
    sip.listeners.get(0).on(new SipLegEvent.Failed(603, "Decline"));
    assertEquals(List.of(new SipLegEvent.Failed(603, "Decline")), events);
    assertEquals(List.of("cancel"), sip.commands.get(1));
    sip.listeners.get(1).on(new SipLegEvent.Failed(487, "Request Terminated"));
    assertEquals(1, events.size());
  }

  @Test
  void noTargetFailsWith480AndOneIsAPlainLeg() {
    fork(0);
    assertEquals(480, assertInstanceOf(SipLegEvent.Failed.class, events.get(0)).status());
    events.clear();
    fork(1);
    sip.listeners.get(0).on(new SipLegEvent.Answered("v=0"));
    assertEquals(1, events.size());
  }

  @Test
  void cancelGoesToEveryBranch() {
    OutboundLeg leg = fork(2);
    leg.cancel();
    assertEquals(List.of("cancel"), sip.commands.get(0));
    assertEquals(List.of("cancel"), sip.commands.get(1));
  }

  // --- a branch that fails while it is being placed (issue 16) --------------------------------

  private void failsAtOnce(int branch, int status, String reason) {
    sip.whilePlacing.put(
        branch, () -> sip.listeners.get(branch).on(new SipLegEvent.Failed(status, reason)));
  }

  @Test
  void aBranchFailingAtOnceIsOnlyThatBranchesFailureAndALaterAnswerWins() {
    failsAtOnce(0, 503, "Service Unavailable");
    OutboundLeg leg = fork(3);
    assertEquals(3, sip.listeners.size(), "every branch is placed");
    assertEquals(List.of(), events, "the fork goes on");
    sip.listeners.get(2).on(new SipLegEvent.Answered("v=0 two"));
    assertEquals(List.of(new SipLegEvent.Answered("v=0 two")), events);
    assertEquals(List.of(), sip.commands.get(0), "the failed branch needs no CANCEL");
    assertEquals(List.of("cancel"), sip.commands.get(1));
    leg.bye();
    assertEquals(List.of("bye"), sip.commands.get(2));
  }

  @Test
  void whenEveryBranchFailsAtOnceTheBestFailureIsPassedOnOnce() {
    failsAtOnce(0, 503, "Service Unavailable");
    failsAtOnce(1, 486, "Busy Here");
    failsAtOnce(2, 480, "Temporarily Unavailable");
    fork(3);
    assertEquals(List.of(new SipLegEvent.Failed(486, "Busy Here")), events);
  }

  @Test
  void theLastBranchFailingAtOnceEndsTheForkOnlyWhenTheOthersHaveFailed() {
    failsAtOnce(1, 503, "Service Unavailable");
    fork(2);
    assertEquals(List.of(), events);
    sip.listeners.get(0).on(new SipLegEvent.Failed(486, "Busy Here"));
    assertEquals(List.of(new SipLegEvent.Failed(486, "Busy Here")), events);
  }

  @Test
  void aGlobalFailureAtOnceEndsTheForkAndTheRestIsNeverPlaced() {
    failsAtOnce(0, 603, "Decline");
    fork(3);
    assertEquals(1, sip.listeners.size(), "603: no other branch goes out");
    assertEquals(List.of(new SipLegEvent.Failed(603, "Decline")), events);
  }

  @Test
  void aBranchPlacedAsAnotherAnswersIsCancelledAtOnce() {
    sip.whilePlacing.put(1, () -> sip.listeners.get(0).on(new SipLegEvent.Answered("v=0 zero")));
    fork(3);
    assertEquals(2, sip.listeners.size(), "no branch is placed after the answer");
    assertEquals(List.of("cancel"), sip.commands.get(1));
    assertEquals(List.of(new SipLegEvent.Answered("v=0 zero")), events);
  }

  @Test
  void aBranchAnsweringAfterAGlobalFailureGetsBye() {
    fork(2);
    sip.listeners.get(0).on(new SipLegEvent.Failed(603, "Decline"));
    sip.listeners.get(1).on(new SipLegEvent.Answered("v=0 one")); // crossed our CANCEL
    assertEquals(List.of("cancel", "bye"), sip.commands.get(1));
    assertEquals(List.of(new SipLegEvent.Failed(603, "Decline")), events);
  }
}

package dev.tandem.core.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tandem.core.vocabulary.CallId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailoverLegTest {
  private final ForkedLegTest.Branches sip = new ForkedLegTest.Branches();
  private final List<SipLegEvent> events = new ArrayList<>();
  private final List<String> tried = new ArrayList<>();

  private OutboundLeg place(Set<String> down, String... names) {
    List<OutboundInvite> invites = new ArrayList<>();
    for (String name : names) {
      invites.add(
          new OutboundInvite(
              CallId.random(),
              new Destination(name, "127.0.0.1", 5060, Destination.Transport.UDP, Optional.empty()),
              "sip:1000@" + name,
              "alice",
              "v=0"));
    }
    SipSide recording =
        new SipSide() {
          @Override
          public OutboundLeg invite(OutboundInvite invite, SipLegListener listener) {
            tried.add(invite.destination().name());
            return sip.invite(invite, listener);
          }

          @Override
          public String localUri(String user) {
            return sip.localUri(user);
          }
        };
    return FailoverLeg.place(recording, invites, name -> !down.contains(name), events::add);
  }

  @Test
  void aServerFailureOrTimeoutMovesToTheNextDestination() {
    place(Set.of(), "a", "b", "c");
    sip.listeners.get(0).on(new SipLegEvent.Failed(503, "Service Unavailable"));
    sip.listeners.get(1).on(new SipLegEvent.Failed(408, "Request Timeout"));
    assertEquals(List.of("a", "b", "c"), tried);
    assertEquals(List.of(), events, "nothing reaches core while there is a next destination");
    sip.listeners.get(2).on(new SipLegEvent.Answered("v=0"));
    assertInstanceOf(SipLegEvent.Answered.class, events.get(0));
  }

  @Test
  void theCalledPartysRefusalIsFinalAndTheLastFailureIsPassedOn() {
    place(Set.of(), "a", "b");
    sip.listeners.get(0).on(new SipLegEvent.Failed(486, "Busy Here"));
    assertEquals(List.of("a"), tried);
    assertEquals(List.of(new SipLegEvent.Failed(486, "Busy Here")), events);
    events.clear();
    tried.clear();
    place(Set.of(), "a", "b");
    sip.listeners.get(1).on(new SipLegEvent.Failed(503, "Service Unavailable"));
    sip.listeners.get(2).on(new SipLegEvent.Failed(503, "Service Unavailable"));
    assertEquals(List.of(new SipLegEvent.Failed(503, "Service Unavailable")), events);
  }

  @Test
  void destinationsMarkedDownAreTriedLast() {
    place(Set.of("a"), "a", "b");
    assertEquals(List.of("b"), tried);
    sip.listeners.get(0).on(new SipLegEvent.Failed(503, "Service Unavailable"));
    assertEquals(List.of("b", "a"), tried);
  }

  @Test
  void aCancelStopsTheFailover() {
    OutboundLeg leg = place(Set.of(), "a", "b");
    leg.cancel();
    assertEquals(List.of("cancel"), sip.commands.get(0));
    sip.listeners.get(0).on(new SipLegEvent.Failed(503, "Service Unavailable"));
    assertEquals(List.of("a"), tried);
    assertEquals(1, events.size());
  }

  @Test
  void aDestinationFailingAtOnceFailsOverAndCommandsGoToTheNextOne() {
    sip.whilePlacing.put(
        0, () -> sip.listeners.get(0).on(new SipLegEvent.Failed(503, "Service Unavailable")));
    OutboundLeg leg = place(Set.of(), "a", "b");
    assertEquals(List.of("a", "b"), tried);
    assertEquals(List.of(), events);
    leg.cancel();
    assertEquals(List.of(), sip.commands.get(0), "not the destination that failed");
    assertEquals(List.of("cancel"), sip.commands.get(1));
  }

  @Test
  void theLastDestinationFailingAtOncePassesItsFailureOn() {
    sip.whilePlacing.put(
        0, () -> sip.listeners.get(0).on(new SipLegEvent.Failed(503, "Service Unavailable")));
    sip.whilePlacing.put(
        1, () -> sip.listeners.get(1).on(new SipLegEvent.Failed(503, "Service Unavailable")));
    place(Set.of(), "a", "b");
    assertEquals(List.of(new SipLegEvent.Failed(503, "Service Unavailable")), events);
  }
}

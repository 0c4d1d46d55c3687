package dev.tandem.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.vocabulary.CallId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CallRegistryTest {
  private final CallRegistry calls = new CallRegistry();

  private PeerCall call(String caller, String callee) {
    return new PeerCall(
        CallId.random(),
        new SessionId("s-" + caller),
        caller,
        callee,
        new PeerCall.Effects() {
          @Override
          public void deliver(SessionId session, dev.tandem.core.browser.BrowserEvent event) {}

          @Override
          public void ended(Call call) {}
        },
        null);
  }

  @Test
  void countsCallsPerUserAndForgetsThemWhenTheyEnd() {
    PeerCall first = call("alice", "bob");
    PeerCall second = call("alice", "carol");
    calls.add(first);
    calls.add(second);
    assertThat(calls.countOf("alice")).isEqualTo(2);
    assertThat(calls.countOf("bob")).isEqualTo(1);
    calls.remove(first.id());
    assertThat(calls.countOf("alice")).isEqualTo(1);
    assertThat(calls.countOf("bob")).isZero();
    calls.remove(second.id());
    assertThat(calls.countOf("alice")).isZero();
    assertThat(calls.size()).isZero();
  }

  @Test
  void aCallWithinOneUsersSessionsCountsOnce() {
    calls.add(call("alice", "alice"));
    assertThat(calls.countOf("alice")).isEqualTo(1);
  }

  @Test
  void anEndedCallNamesTheSessionsItWasShownTo() {
    PeerCall c = call("alice", "bob");
    calls.add(c);
    calls.shownTo(c.id(), new SessionId("a1"));
    calls.shownTo(c.id(), new SessionId("b1"));
    assertThat(calls.remove(c.id())).isEqualTo(Set.of(new SessionId("a1"), new SessionId("b1")));
    assertThat(calls.remove(c.id())).isEmpty();
  }
}

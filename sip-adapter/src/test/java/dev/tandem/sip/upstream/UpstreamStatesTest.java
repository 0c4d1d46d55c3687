package dev.tandem.sip.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.sip.Destination;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.stack.Advertised;
import dev.tandem.sip.stack.DigestAuth;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sip.SipProvider;
import org.junit.jupiter.api.Test;

/** Each account counts in one state; a user whose REGISTER cannot go out is failed, not offline. */
class UpstreamStatesTest {
  /** No transport at all: every REGISTER fails at once. Work runs on the caller's thread. */
  private static final class NoTransport implements Providers {
    final List<Runnable> later = new ArrayList<>();

    @Override
    public Optional<SipProvider> provider(SipTransport transport) {
      return Optional.empty();
    }

    @Override
    public void send(Runnable work) {
      work.run();
    }

    @Override
    public void sendLater(Duration delay, Runnable work) {
      later.add(work);
    }

    @Override
    public Advertised advertised() {
      return new Advertised(List.of());
    }

    @Override
    public DigestAuth digest() {
      throw new UnsupportedOperationException("no challenge here");
    }
  }

  private static UpstreamAccount account(String username) {
    return new UpstreamAccount(
        "pbx",
        username,
        "secret-" + username,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void countsEveryAccountByState() throws Exception {
    NoTransport providers = new NoTransport();
    UpstreamRegistrations registrations =
        new UpstreamRegistrations(
            new UpstreamSettings(
                Map.of("alice", account("1001"), "bob", account("1002")),
                Optional.empty(),
                Duration.ofSeconds(60)),
            Map.of(
                "pbx",
                new Destination(
                    "pbx", "127.0.0.1", 5060, Destination.Transport.TCP, Optional.empty())),
            providers,
            new SipMessages("Tandem-test"),
            new NodeId("node-test"),
            java.time.Clock.systemUTC());
    assertThat(registrations.states().get(1, TimeUnit.SECONDS))
        .containsEntry(UpstreamState.OFFLINE, 2)
        .containsEntry(UpstreamState.REGISTERING, 0)
        .containsEntry(UpstreamState.REGISTERED, 0)
        .containsEntry(UpstreamState.FAILED, 0);
    registrations.online("alice");
    assertThat(registrations.states().get(1, TimeUnit.SECONDS))
        .containsEntry(UpstreamState.OFFLINE, 1)
        .containsEntry(UpstreamState.FAILED, 1);
    assertThat(providers.later).as("a retry is scheduled").hasSize(1);
    registrations.offline("alice");
    assertThat(registrations.states().get(1, TimeUnit.SECONDS))
        .containsEntry(UpstreamState.OFFLINE, 2)
        .containsEntry(UpstreamState.FAILED, 0);
  }
}

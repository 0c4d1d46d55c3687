package dev.tandem.sip.upstream;

import dev.tandem.core.call.UserPresence;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream mode: keeps a registration at its PBX for every online browser user that has an upstream
 * account, and un-REGISTERs it when the user's last session is gone (the switchboard calls {@link
 * #offline} only after the resume grace period) and when the bridge stops.
 */
public final class UpstreamRegistrations implements UserPresence, SipIdentity.Directory {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRegistrations.class);

  private final Providers providers;
  private final Map<String, UpstreamRegistration> byUser = new HashMap<>();
  private final Map<String, UpstreamAccount> accounts;

  /**
   * @param destinations the routing destinations by name; every account's must be among them
   */
  public UpstreamRegistrations(
      UpstreamSettings settings,
      Map<String, Destination> destinations,
      Providers providers,
      SipMessages messages) {
    this.providers = providers;
    this.accounts = settings.accounts();
    settings
        .accounts()
        .forEach(
            (user, account) -> {
              Destination destination = destinations.get(account.destination());
              if (destination == null) {
                throw new IllegalArgumentException(
                    "upstream account of "
                        + user
                        + " names unknown destination "
                        + account.destination());
              }
              byUser.put(
                  user,
                  new UpstreamRegistration(
                      user, account, destination, providers, messages, settings.retryInterval()));
            });
  }

  /**
   * A user calling through the PBX it is registered at calls as its own address of record and
   * answers the PBX's challenges with its own credentials, as a desk phone of that extension would.
   */
  @Override
  public Optional<SipIdentity> identity(String user, Destination destination) {
    UpstreamAccount account = accounts.get(user);
    if (account == null || !account.destination().equals(destination.name())) {
      return Optional.empty();
    }
    return Optional.of(
        new SipIdentity(
            UpstreamRegistration.aor(account, destination),
            Optional.of(
                new Destination.DigestCredentials(
                    account.authUsername().orElse(account.username()), account.password()))));
  }

  @Override
  public void online(String user) {
    UpstreamRegistration registration = byUser.get(user);
    if (registration != null) {
      providers.send(registration::online);
    }
  }

  @Override
  public void offline(String user) {
    UpstreamRegistration registration = byUser.get(user);
    if (registration != null) {
      providers.send(registration::offline);
    }
  }

  /**
   * How many accounts stand in each state (every state present, zero included); completes on the
   * SIP sending thread, which owns the registrations.
   */
  public CompletableFuture<Map<UpstreamState, Integer>> states() {
    CompletableFuture<Map<UpstreamState, Integer>> states = new CompletableFuture<>();
    providers.send(
        () -> {
          Map<UpstreamState, Integer> counts = new EnumMap<>(UpstreamState.class);
          for (UpstreamState state : UpstreamState.values()) {
            counts.put(state, 0);
          }
          byUser.values().forEach(r -> counts.merge(r.state(), 1, Integer::sum));
          states.complete(counts);
        });
    return states;
  }

  /** Un-REGISTERs every registered user, waiting up to {@code wait} for the answers. */
  public void stop(Duration wait) {
    if (byUser.isEmpty()) {
      return;
    }
    byUser.values().forEach(r -> providers.send(r::offline));
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      CompletableFuture<Boolean> pending = new CompletableFuture<>();
      providers.send(
          () ->
              pending.complete(byUser.values().stream().anyMatch(r -> r.busy() || r.registered())));
      try {
        if (!pending.get(1, TimeUnit.SECONDS)) {
          return;
        }
        Thread.sleep(50);
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        break;
      }
    }
    log.info("some upstream registrations were not removed within {}", wait);
  }
}

package dev.tandem.sip.upstream;

import dev.tandem.core.call.UserPresence;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
  private final SipMessages messages;
  private final Map<String, UpstreamRegistration> byUser = new ConcurrentHashMap<>();
  private volatile Map<String, UpstreamAccount> accounts;
  private volatile Duration retryInterval;

  /**
   * @param destinations the routing destinations by name; every account's must be among them
   */
  public UpstreamRegistrations(
      UpstreamSettings settings,
      Map<String, Destination> destinations,
      Providers providers,
      SipMessages messages) {
    this.providers = providers;
    this.messages = messages;
    this.accounts = settings.accounts();
    this.retryInterval = settings.retryInterval();
    settings
        .accounts()
        .forEach((user, account) -> byUser.put(user, registration(user, account, destinations)));
  }

  private UpstreamRegistration registration(
      String user, UpstreamAccount account, Map<String, Destination> destinations) {
    Destination destination = destinations.get(account.destination());
    if (destination == null) {
      throw new IllegalArgumentException(
          "upstream account of " + user + " names unknown destination " + account.destination());
    }
    return new UpstreamRegistration(user, account, destination, providers, messages, retryInterval);
  }

  /**
   * New accounts (a configuration reload): a removed or changed account un-REGISTERs, an added or
   * changed one REGISTERs when its user is {@code online}; the others carry on untouched.
   *
   * @param destinations the routing destinations by name; every account's must be among them
   */
  public void reconfigure(
      UpstreamSettings settings, Map<String, Destination> destinations, Set<String> online) {
    Map<String, UpstreamAccount> next = settings.accounts();
    Map<String, UpstreamRegistration> added = new HashMap<>();
    next.forEach(
        (user, account) -> {
          UpstreamRegistration running = byUser.get(user);
          if (running == null
              || !account.equals(accounts.get(user))
              || !destinations.get(account.destination()).equals(running.destination())) {
            added.put(user, registration(user, account, destinations));
          }
        });
    this.accounts = next;
    this.retryInterval = settings.retryInterval();
    providers.send(
        () -> {
          for (Map.Entry<String, UpstreamRegistration> entry : Map.copyOf(byUser).entrySet()) {
            if (!next.containsKey(entry.getKey()) || added.containsKey(entry.getKey())) {
              entry.getValue().offline();
              byUser.remove(entry.getKey());
              log.info("upstream account of {} removed", entry.getKey());
            }
          }
          added.forEach(
              (user, registration) -> {
                byUser.put(user, registration);
                log.info("upstream account of {} added", user);
                if (online.contains(user)) {
                  registration.online();
                }
              });
        });
  }

  /** A user's registration as it is now (the admin API). */
  public record Status(String user, String destination, String aor, String state) {}

  /** Every account's registration, as it is now. */
  public CompletableFuture<List<Status>> statuses() {
    CompletableFuture<List<Status>> result = new CompletableFuture<>();
    providers.send(
        () ->
            result.complete(
                new TreeMap<>(byUser)
                    .values().stream()
                        .map(
                            r ->
                                new Status(
                                    r.user(),
                                    r.destination().name(),
                                    UpstreamRegistration.aor(r.account(), r.destination()),
                                    r.state()))
                        .toList()));
    return result;
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

package dev.tandem.sip.upstream;

import dev.tandem.core.call.UserPresence;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream mode: keeps a registration at its PBX or registrar for every online browser user that
 * has an upstream account — its own ({@code upstream.accounts}) or, for every other user, one made
 * by the {@link UpstreamTemplate} — and un-REGISTERs it when the user's last session is gone (the
 * switchboard calls {@link #offline} only after the resume grace period) and when the bridge stops.
 * A templated user's registration is forgotten once it is un-REGISTERed, so what is held follows
 * who is online. Each Contact carries the node's instance id ({@link NodeId#instanceUrn()}).
 */
public final class UpstreamRegistrations implements UserPresence, SipIdentity.Directory {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRegistrations.class);

  private final Providers providers;
  private final SipMessages messages;
  private final UpstreamSettings settings;
  private final Map<String, Destination> destinations;
  private final Optional<String> instance;
  private final Clock clock;

  /** Registrations by user; changed only on the SIP sending thread. */
  private final Map<String, UpstreamRegistration> byUser = new ConcurrentHashMap<>();

  private final Map<String, UpstreamIdentity> accounts = new HashMap<>();

  /**
   * @param destinations the routing destinations by name; every account's and the template's must
   *     be among them
   */
  public UpstreamRegistrations(
      UpstreamSettings settings,
      Map<String, Destination> destinations,
      Providers providers,
      SipMessages messages,
      NodeId node,
      Clock clock) {
    this.providers = providers;
    this.messages = messages;
    this.settings = settings;
    this.destinations = destinations;
    this.instance = Optional.of(node.instanceUrn());
    this.clock = clock;
    settings
        .accounts()
        .forEach(
            (user, account) -> {
              Destination destination = destination(account.destination(), "account of " + user);
              UpstreamIdentity identity = account.identity(destination);
              accounts.put(user, identity);
              byUser.put(user, registration(user, identity, destination));
            });
    settings.template().ifPresent(t -> destination(t.destination(), "template"));
  }

  private Destination destination(String name, String whose) {
    Destination destination = destinations.get(name);
    if (destination == null) {
      throw new IllegalArgumentException(
          "upstream " + whose + " names unknown destination " + name);
    }
    return destination;
  }

  private UpstreamRegistration registration(
      String user, UpstreamIdentity identity, Destination destination) {
    return new UpstreamRegistration(
        user, identity, destination, instance, providers, messages, settings.retryInterval());
  }

  /**
   * A user calling through the PBX it is registered at calls as its own address of record and
   * answers the PBX's challenges with its own credentials, as a desk phone of that extension would.
   */
  @Override
  public Optional<SipIdentity> identity(String user, Destination destination) {
    Optional<UpstreamIdentity> identity = identityAt(user, destination);
    return identity.map(i -> new SipIdentity(i.aor(), i.credentials().get()));
  }

  private Optional<UpstreamIdentity> identityAt(String user, Destination destination) {
    if (settings.accounts().containsKey(user)) {
      return settings.accounts().get(user).destination().equals(destination.name())
          ? Optional.of(accounts.get(user))
          : Optional.empty();
    }
    return settings
        .template()
        .filter(t -> t.destination().equals(destination.name()))
        .map(t -> t.identityOf(user, destination, clock));
  }

  @Override
  public void online(String user) {
    if (!settings.accounts().containsKey(user) && settings.template().isEmpty()) {
      return;
    }
    providers.send(
        () -> {
          UpstreamRegistration registration = byUser.get(user);
          if (registration == null) {
            registration = templated(user);
            byUser.put(user, registration);
          }
          registration.online();
        });
  }

  /** A registration made by the template, forgotten once the user is offline and un-REGISTERed. */
  private UpstreamRegistration templated(String user) {
    UpstreamTemplate template = settings.template().orElseThrow();
    Destination destination = destinations.get(template.destination());
    UpstreamRegistration registration =
        registration(user, template.identityOf(user, destination, clock), destination);
    registration.whenIdle(() -> byUser.remove(user, registration));
    return registration;
  }

  @Override
  public void offline(String user) {
    providers.send(
        () -> {
          UpstreamRegistration registration = byUser.get(user);
          if (registration != null) {
            registration.offline();
          }
        });
  }

  /** How many users have a registration (kept or being removed) right now. */
  public int size() {
    return byUser.size();
  }

  /** Un-REGISTERs every registered user, waiting up to {@code wait} for the answers. */
  public void stop(Duration wait) {
    if (byUser.isEmpty()) {
      return;
    }
    providers.send(() -> List.copyOf(byUser.values()).forEach(UpstreamRegistration::offline));
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

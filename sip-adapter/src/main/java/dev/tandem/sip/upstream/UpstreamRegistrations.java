package dev.tandem.sip.upstream;

import dev.tandem.core.call.UserPresence;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.SipIdentity;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
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
 * Upstream mode: keeps a registration at its PBX or registrar for every online browser user that
 * has an upstream account — its own ({@code upstream.accounts}) or, for every other user, one made
 * by the {@link UpstreamTemplate} — and un-REGISTERs it when the user's last session is gone (the
 * switchboard calls {@link #offline} only after the resume grace period) and when the bridge stops.
 * A templated user's registration is forgotten once it is un-REGISTERed, so what is held follows
 * who is online. Each Contact carries the node's instance id ({@link NodeId#instanceUrn()}). A
 * configuration reload ({@link #reconfigure}) swaps accounts and template without touching the
 * registrations that stay the same.
 */
public final class UpstreamRegistrations implements UserPresence, SipIdentity.Directory {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRegistrations.class);

  private final Providers providers;
  private final SipMessages messages;
  private final Optional<String> instance;
  private final Clock clock;

  /** Registrations by user; changed only on the SIP sending thread. */
  private final Map<String, UpstreamRegistration> byUser = new ConcurrentHashMap<>();

  private volatile UpstreamSettings settings;
  private volatile Map<String, Destination> destinations;

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
    this.instance = Optional.of(node.instanceUrn());
    this.clock = clock;
    this.settings = settings;
    this.destinations = Map.copyOf(destinations);
    settings.accounts().forEach((user, account) -> byUser.put(user, ofAccount(user, account)));
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

  private UpstreamRegistration ofAccount(String user, UpstreamAccount account) {
    Destination destination = destination(account.destination(), "account of " + user);
    return registration(user, account.identity(destination), destination);
  }

  /** The template, for a user without an account of its own in {@code settings}. */
  private static Optional<UpstreamTemplate> templateFor(UpstreamSettings settings, String user) {
    return settings.accounts().containsKey(user) ? Optional.empty() : settings.template();
  }

  /** A registration made by the template, forgotten once the user is offline and un-REGISTERed. */
  private UpstreamRegistration templated(String user, UpstreamTemplate template) {
    Destination destination = destination(template.destination(), "template");
    UpstreamRegistration registration =
        registration(user, template.identityOf(user, destination, clock), destination);
    registration.whenIdle(() -> byUser.remove(user, registration));
    return registration;
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
    UpstreamSettings now = settings;
    UpstreamAccount account = now.accounts().get(user);
    Optional<UpstreamIdentity> identity =
        account != null
            ? Optional.of(account)
                .filter(a -> a.destination().equals(destination.name()))
                .map(a -> a.identity(destination))
            : templateFor(now, user)
                .filter(t -> t.destination().equals(destination.name()))
                .map(t -> t.identityOf(user, destination, clock));
    return identity.map(i -> new SipIdentity(i.aor(), i.credentials().get()));
  }

  @Override
  public void online(String user) {
    providers.send(
        () -> {
          UpstreamRegistration registration = byUser.get(user);
          if (registration == null) {
            Optional<UpstreamTemplate> template = templateFor(settings, user);
            if (template.isEmpty()) {
              return;
            }
            registration = templated(user, template.get());
            byUser.put(user, registration);
          }
          registration.online();
        });
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

  /**
   * New accounts and template (a configuration reload): a removed or changed account un-REGISTERs,
   * an added or changed one REGISTERs when its user is {@code online}; a changed template
   * re-registers the online users it covers; the others carry on untouched.
   *
   * @param destinations the routing destinations by name; every account's must be among them
   */
  public void reconfigure(
      UpstreamSettings next, Map<String, Destination> destinations, Set<String> online) {
    UpstreamSettings old = settings;
    this.destinations = Map.copyOf(destinations);
    this.settings = next;
    Map<String, UpstreamRegistration> added = new HashMap<>();
    next.accounts()
        .forEach(
            (user, account) -> {
              UpstreamRegistration running = byUser.get(user);
              if (running == null
                  || !account.equals(old.accounts().get(user))
                  || !destination(account.destination(), "account of " + user)
                      .equals(running.destination())) {
                added.put(user, ofAccount(user, account));
              }
            });
    boolean templateChanged = !next.template().equals(old.template());
    providers.send(
        () -> {
          for (Map.Entry<String, UpstreamRegistration> entry : Map.copyOf(byUser).entrySet()) {
            String user = entry.getKey();
            boolean stale =
                old.accounts().containsKey(user)
                    ? !next.accounts().containsKey(user) || added.containsKey(user)
                    : next.accounts().containsKey(user) || templateChanged;
            if (stale) {
              entry.getValue().offline();
              byUser.remove(user, entry.getValue());
              log.info("upstream registration of {} removed", user);
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
          for (String user : online) {
            if (!byUser.containsKey(user)) {
              templateFor(next, user)
                  .ifPresent(
                      template -> {
                        UpstreamRegistration registration = templated(user, template);
                        byUser.put(user, registration);
                        registration.online();
                      });
            }
          }
        });
  }

  /** A user's registration as it is now (the admin API). */
  public record Status(String user, String destination, String aor, String state) {}

  /** Every registration, as it is now. */
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
                                    r.aor(),
                                    r.state().name().toLowerCase(java.util.Locale.ROOT)))
                        .toList()));
    return result;
  }

  /** How many users have a registration (kept or being removed) right now. */
  public int size() {
    return byUser.size();
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

package dev.tandem.app.admin;

import dev.tandem.core.call.CallFacts;
import dev.tandem.core.call.CallSnapshot;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.media.MediaActivity;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.registrar.Binding;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.ws.protocol.EventEncoder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What each admin route does, in the running bridge's terms: reads through the switchboard's query
 * methods (which run on the signaling loop and return immutable snapshots), the media backend's
 * counters, the registrar's bindings and the upstream registrations; actions through the
 * switchboard, {@link Drain} and the configuration reload. Thread-safe.
 */
public final class AdminService {
  /** How long a call's media counters may take before the call is listed without them. */
  static final Duration MEDIA_QUERY_TIMEOUT = Duration.ofSeconds(1);

  private final Switchboard switchboard;
  private final Optional<MediaBackend> media;
  private final Supplier<List<Binding>> registrar;
  private final Supplier<CompletableFuture<List<UpstreamRegistrations.Status>>> upstream;
  private final Drain drain;
  private final Supplier<AdminViews.ReloadView> reload;
  private final String version;
  private final Instant startedAt;

  /**
   * @param media the backend whose counters calls to and from SIP show; empty without SIP
   * @param registrar the standalone registrar's bindings
   * @param upstream the upstream registrations' states
   * @param reload re-reads and applies the configuration
   */
  public AdminService(
      Switchboard switchboard,
      Optional<MediaBackend> media,
      Supplier<List<Binding>> registrar,
      Supplier<CompletableFuture<List<UpstreamRegistrations.Status>>> upstream,
      Drain drain,
      Supplier<AdminViews.ReloadView> reload,
      String version,
      Instant startedAt) {
    this.switchboard = switchboard;
    this.media = media;
    this.registrar = registrar;
    this.upstream = upstream;
    this.drain = drain;
    this.reload = reload;
    this.version = version;
    this.startedAt = startedAt;
  }

  AdminViews.Status status() {
    Switchboard.Counts counts = switchboard.counts().join();
    Optional<Drain.Started> draining = drain.state();
    return new AdminViews.Status(
        version,
        draining.isPresent() ? "draining" : "running",
        startedAt.toString(),
        counts.sessions(),
        counts.calls(),
        draining.map(d -> drainView(d, counts.calls())).orElse(null));
  }

  List<AdminViews.SessionView> sessions() {
    return switchboard.sessionSnapshots().join().stream()
        .map(
            s ->
                new AdminViews.SessionView(
                    s.id().value(),
                    s.user(),
                    s.connected(),
                    s.since().toString(),
                    s.calls().stream().map(CallId::value).toList()))
        .toList();
  }

  List<AdminViews.CallView> calls() {
    List<CallSnapshot> snapshots = switchboard.callSnapshots().join();
    List<CompletableFuture<AdminViews.MediaView>> counters = new ArrayList<>();
    for (CallSnapshot call : snapshots) {
      counters.add(mediaOf(call));
    }
    List<AdminViews.CallView> views = new ArrayList<>();
    for (int i = 0; i < snapshots.size(); i++) {
      CallSnapshot call = snapshots.get(i);
      CallFacts facts = call.facts();
      views.add(
          new AdminViews.CallView(
              call.id().value(),
              call.sipCallId().orElse(null),
              facts.state(),
              facts.direction().wireName(),
              facts.from(),
              facts.to(),
              facts.destination().orElse(null),
              call.since().toString(),
              counters.get(i).join()));
    }
    return views;
  }

  /** The backend's counters for a call whose media passes the bridge; null when there are none. */
  private CompletableFuture<AdminViews.MediaView> mediaOf(CallSnapshot call) {
    CallFacts.Direction direction = call.facts().direction();
    if (media.isEmpty()
        || direction == CallFacts.Direction.BROWSER_TO_BROWSER
        || direction == CallFacts.Direction.SIP_TO_SIP) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<MediaActivity> activity;
    try {
      activity = media.get().activity(call.id()).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(null);
    }
    return activity
        .orTimeout(MEDIA_QUERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            a ->
                new AdminViews.MediaView(
                    a.packetsFromBrowser(), a.packetsFromSip(), a.failure().orElse(null)))
        .exceptionally(e -> null);
  }

  AdminViews.Registrations registrations() {
    List<AdminViews.BindingView> bindings =
        registrar.get().stream()
            .map(
                b ->
                    new AdminViews.BindingView(
                        b.account(),
                        b.contact(),
                        b.transport().name().toLowerCase(Locale.ROOT),
                        b.sourceHost() + ":" + b.sourcePort(),
                        b.expires().toString()))
            .toList();
    List<AdminViews.UpstreamView> registrations =
        upstream.get().join().stream()
            .map(s -> new AdminViews.UpstreamView(s.user(), s.destination(), s.aor(), s.state()))
            .toList();
    return new AdminViews.Registrations(bindings, registrations);
  }

  /** Ends a call; empty when there is no such call. */
  Optional<AdminViews.Ended> endCall(String callId) {
    boolean ended =
        switchboard.endCall(new CallId(callId), "ended by an administrator (admin API)").join();
    return ended ? Optional.of(new AdminViews.Ended(callId, ADMIN_END_REASON)) : Optional.empty();
  }

  /** The end reason browsers are told: {@code ended-by-admin}. */
  static final String ADMIN_END_REASON = EventEncoder.wireName(EndReason.ENDED_BY_ADMIN);

  /** Ends every session of a user; empty when the user has none. */
  Optional<AdminViews.Disconnected> disconnect(String user) {
    int sessions =
        switchboard.disconnect(user, "disconnected by an administrator (admin API)").join();
    return sessions == 0
        ? Optional.empty()
        : Optional.of(new AdminViews.Disconnected(user, sessions, Switchboard.CLOSE_DISCONNECTED));
  }

  AdminViews.DrainView drain(Optional<Duration> deadline) {
    Drain.Started started = drain.start(deadline);
    return drainView(started, switchboard.counts().join().calls());
  }

  AdminViews.ReloadView reload() {
    return reload.get();
  }

  private static AdminViews.DrainView drainView(Drain.Started started, int callsLeft) {
    return new AdminViews.DrainView(
        started.startedAt().toString(), started.deadline().toString(), callsLeft);
  }
}

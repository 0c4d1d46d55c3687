package dev.tandem.app;

import dev.tandem.app.admin.AdminServer;
import dev.tandem.app.admin.AdminService;
import dev.tandem.app.admin.AdminViews;
import dev.tandem.app.admin.Drain;
import dev.tandem.app.config.ConfigDiff;
import dev.tandem.app.config.ConfigSource;
import dev.tandem.app.config.MediaSettings;
import dev.tandem.app.config.TandemConfig;
import dev.tandem.app.events.CallEventOutputs;
import dev.tandem.app.metrics.MetricsEndpoint;
import dev.tandem.app.metrics.TandemMetrics;
import dev.tandem.core.call.Bridging;
import dev.tandem.core.call.SdpGrammarCheck;
import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.inbound.InboundPolicy;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.media.relay.EmbeddedRelay;
import dev.tandem.media.relay.RelaySettings;
import dev.tandem.media.rtpengine.RtpengineBackend;
import dev.tandem.media.rtpengine.RtpenginePool;
import dev.tandem.sdp.translate.TranslationOptions;
import dev.tandem.sip.call.SipCalls;
import dev.tandem.sip.options.KeepalivePinger;
import dev.tandem.sip.registrar.DigestGate;
import dev.tandem.sip.registrar.RegisterHandler;
import dev.tandem.sip.stack.RequestHandler;
import dev.tandem.sip.stack.SipStackService;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.ws.auth.Authenticator;
import dev.tandem.ws.http.HttpServer;
import dev.tandem.ws.http.IceServersHandler;
import dev.tandem.ws.ice.IceServerProvider;
import dev.tandem.ws.socket.BrowserCounters;
import dev.tandem.ws.socket.BrowserEndpoint;
import dev.tandem.ws.socket.WsLimits;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: builds every part from the configuration, starts them in order and stops them
 * in reverse. The one place that knows which parts exist.
 *
 * <p>Start order: HTTP first (so {@code /healthz} answers and {@code /readyz} says "not ready"
 * while the rest starts), then SIP. Stop: readiness off, calls ended (browsers told {@code
 * server-shutdown}), SIP, HTTP.
 */
public final class Bridge {
  private static final Logger log = LoggerFactory.getLogger(Bridge.class);

  /** The readiness component of the rtpengine backend: up while one instance answers. */
  private static final String RTPENGINE = "media rtpengine";

  private final TandemConfig config;
  private final NodeId node;
  private final Readiness readiness = new Readiness();
  private final SignalingLoop loop = new SignalingLoop();
  private final Switchboard switchboard;
  private final HttpServer http;
  private final SipStackService sip;
  private final MediaBackend media;
  private final UpstreamRegistrations upstream;
  private final KeepalivePinger keepalives;
  private final Authenticator authenticator;
  private final WsLimits wsLimits;
  private final Registrar registrar;
  private final DigestGate gate;
  private final RegisterHandler registerHandler;
  private final ConfigReload reload;
  private final Drain drain;
  private final Optional<AdminServer> admin;
  private final Optional<TandemMetrics> metrics;
  private final Optional<MetricsEndpoint> metricsEndpoint;
  private final CallEventOutputs events;
  private AutoCloseable mediaResources = () -> {};
  private Runnable mediaStart = () -> {};
  private final AtomicBoolean stopped = new AtomicBoolean();

  /** A bridge whose configuration cannot be reloaded and that nothing asks to exit. */
  public Bridge(TandemConfig config) {
    this(config, () -> config, () -> {});
  }

  /**
   * @param source where a reload reads the configuration again (the file, variables and {@code
   *     --set} the process started with)
   * @param exit asks the process to stop, as SIGTERM does: a drain is over
   */
  public Bridge(TandemConfig config, ConfigSource source, Runnable exit) {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.node = config.node().nodeId();
    this.metrics =
        config.metrics().enabled()
            ? Optional.of(new TandemMetrics(TandemVersion.current()))
            : Optional.empty();
    this.metricsEndpoint = metrics.map(m -> new MetricsEndpoint(config.metrics(), m.registry()));
    this.sip = new SipStackService(config.sip(), readiness);
    metrics.ifPresent(m -> sip.observe(m.sipTraffic()));
    SipCalls sipCalls =
        new SipCalls(
            sip,
            sip.messages(),
            config.sip().sessionExpires(),
            config.sip().minSessionExpires(),
            loop,
            loop);
    this.registrar = config.registrar().toRegistrar(clock::instant);
    this.gate = new DigestGate(config.registrar(), sip.messages(), clock::instant);
    sipCalls.authenticateWith(gate);
    List<RequestHandler> handlers = new ArrayList<>(sipCalls.handlers());
    this.registerHandler =
        new RegisterHandler(config.registrar(), registrar, gate, sip.messages(), clock::instant);
    handlers.add(registerHandler);
    sip.handle(handlers, sipCalls);
    this.media = mediaBackend(config.media());
    this.keepalives = new KeepalivePinger(config.routing().keepalives(), sip, sip.messages());
    this.upstream =
        new UpstreamRegistrations(
            config.upstream(),
            config.routing().destinationsByName(),
            sip,
            sip.messages(),
            node,
            clock);
    this.switchboard =
        new Switchboard(
            loop,
            loop,
            config.sessions(),
            config.calls(),
            new SdpGrammarCheck(),
            Optional.of(
                new Bridging(
                    config.routing().toDialPlan(),
                    media,
                    sipCalls,
                    // without accounts it knows no one, as Directory.NONE; a reload may add some
                    registrar,
                    upstream,
                    keepalives)));
    switchboard.routeInbound(inboundPolicy(config));
    switchboard.encryptSipMedia(sipMediaPolicy(config));
    switchboard.identify(node);
    this.events = new CallEventOutputs(config.events(), clock);
    switchboard.listen(events);
    sipCalls.connect(switchboard);
    switchboard.watchPresence(upstream);
    metrics.ifPresent(m -> switchboard.listen(m.calls()));
    metrics.ifPresent(m -> m.registrations(registrar, upstream));
    this.authenticator = new Authenticator(config.auth(), clock);
    IceServerProvider iceServers = new IceServerProvider(config.ice(), clock);
    this.http = new HttpServer(config.http(), config.shutdown().gracePeriod(), readiness);
    this.wsLimits = new WsLimits(config.ws());
    BrowserCounters browserCounters = new BrowserCounters();
    new BrowserEndpoint(
            wsLimits,
            switchboard,
            authenticator,
            iceServers,
            loop,
            config.sessions().resumeGrace(),
            System::nanoTime,
            browserCounters)
        .mount(http);
    metrics.ifPresent(m -> m.browser(switchboard, authenticator.counters(), browserCounters));
    http.route("/api/ice-servers", new IceServersHandler(authenticator, iceServers));
    http.staticFiles("web/", config.ws().allowedOrigins());
    this.reload = new ConfigReload(config, source, this::apply);
    this.drain = new Drain(switchboard, readiness, config.admin(), clock, exit);
    this.admin =
        config.admin().enabled()
            ? Optional.of(
                new AdminServer(
                    config.admin(),
                    config.auth().throttle(),
                    new AdminService(
                        switchboard,
                        Optional.of(media),
                        registrar::allBindings,
                        upstream::statuses,
                        drain,
                        reload::reload,
                        TandemVersion.current(),
                        clock.instant()),
                    clock))
            : Optional.empty();
  }

  /** The inbound table and trust rule of a configuration. */
  private static InboundPolicy inboundPolicy(TandemConfig config) {
    return config
        .routing()
        .inbound()
        .toPolicy(config.routing().trustedSources(), config.knownUsers());
  }

  /**
   * How the SIP side of calls protects its media, and whether it carries video, per destination and
   * registrar account.
   */
  private static SipMediaPolicy sipMediaPolicy(TandemConfig config) {
    return new SipMediaPolicy(
        config.routing().mediaEncryptionByName(),
        config.registrar().mediaEncryptionByAccount(),
        config.registrar().mediaEncryption(),
        config.routing().webrtcPeers(),
        new SipMediaPolicy.VideoPolicy(
            config.routing().audioOnly(),
            config.registrar().videoByAccount(),
            config.registrar().video()));
  }

  /**
   * Re-reads the configuration and swaps what may change live ({@link ConfigReload}); the admin
   * API's and SIGHUP's reload.
   */
  public AdminViews.ReloadView reload() {
    return reload.reload();
  }

  /** Gives the running parts a reloaded configuration: rules for new sessions and calls. */
  private void apply(ConfigDiff diff) {
    TandemConfig next = diff.result();
    switchboard
        .reconfigure(
            next.sessions(),
            next.calls(),
            next.routing().toDialPlan(),
            inboundPolicy(next),
            sipMediaPolicy(next))
        .join();
    authenticator.reconfigure(next.auth());
    wsLimits.replace(next.ws());
    if (diff.applied().stream().anyMatch(k -> k.startsWith("registrar."))) {
      registrar.accounts(next.registrar().registrarAccounts());
      gate.reconfigure(next.registrar());
      registerHandler.reconfigure(next.registrar());
    }
    if (diff.applied().stream()
        .anyMatch(k -> k.startsWith("upstream.") || k.startsWith("routing.destinations"))) {
      Set<String> online = new HashSet<>();
      switchboard.sessionSnapshots().join().forEach(s -> online.add(s.user()));
      upstream.reconfigure(next.upstream(), next.routing().destinationsByName(), online);
    }
  }

  /**
   * SIGHUP: reloads the configuration ({@link #reload}) and reopens the call-record file by its
   * name, so that a log rotation that moved it away takes effect.
   */
  public void hangup() {
    events.recordFile().ifPresent(f -> f.reopen());
    reload();
  }

  /** Starts every part; if one fails, stops those already started and rethrows. */
  public void start() throws StartupException {
    try {
      if (metricsEndpoint.isPresent()) {
        metricsEndpoint.get().start();
      }
      events.start();
      http.start();
      sip.start();
      keepalives.start();
      mediaStart.run();
      if (admin.isPresent()) {
        admin.get().start();
      }
    } catch (StartupException e) {
      stopParts();
      throw e;
    }
    log.info(
        "Tandem {} ready as node {}: http {}:{}, sip {}, media {}, {} SIP destinations, {}"
            + " registrar accounts, {} upstream accounts",
        TandemVersion.current(),
        node,
        config.http().host(),
        config.http().port(),
        config.sip().listen(),
        media.describe(),
        config.routing().destinations().size(),
        config.registrar().accounts().size(),
        config.upstream().accounts().size());
  }

  /** Stops accepting, ends calls, closes listeners; idempotent and safe from any thread. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    log.info("Tandem stopping");
    stopParts();
    log.info("Tandem stopped cleanly in {} ms", (System.nanoTime() - started) / 1_000_000);
  }

  private void stopParts() {
    readiness.stopping();
    try {
      switchboard
          .shutdown()
          .get(Math.max(1, config.shutdown().gracePeriod().toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("calls did not end within {}", config.shutdown().gracePeriod());
    } catch (Exception e) {
      log.warn("ending calls failed: {}", e.toString());
    }
    upstream.stop(Duration.ofSeconds(2));
    keepalives.stop();
    sip.stop();
    http.stop();
    admin.ifPresent(AdminServer::stop);
    metricsEndpoint.ifPresent(MetricsEndpoint::stop);
    try {
      mediaResources.close();
    } catch (Exception e) {
      log.warn("closing the media backend failed: {}", e.toString());
    }
    loop.close();
    events.close();
  }

  /** The configured media backend; what it holds open is closed with the bridge. */
  private MediaBackend mediaBackend(MediaSettings settings) {
    switch (settings.backend()) {
      case EMBEDDED -> {
        MediaSettings.EmbeddedSettings e = settings.embedded();
        try {
          EmbeddedRelay relay =
              new EmbeddedRelay(
                  new RelaySettings(
                      e.bind(),
                      e.addresses(),
                      e.portMin(),
                      e.portMax(),
                      e.ioThreads(),
                      e.dtlsThreads(),
                      e.dtlsQueue(),
                      new TranslationOptions(e.opusTowardSip()),
                      RelaySettings.DEFAULT_KEYFRAME_INTERVAL,
                      e.receiveBuffer()));
          mediaResources = relay;
          metrics.ifPresent(m -> m.relay(relay));
          return relay;
        } catch (java.io.IOException x) {
          throw new UncheckedIOException("cannot start the embedded relay on " + e.bind(), x);
        }
      }
      case RTPENGINE -> {
        MediaSettings.RtpengineSettings ng = settings.rtpengine();
        try {
          RtpenginePool pool =
              RtpenginePool.open(ng.endpoints(), ng.retransmit(), ng.timeout(), ng.pingInterval());
          mediaResources = pool;
          metrics.ifPresent(m -> pool.observe(m.rtpengine()));
          // ready while at least one rtpengine answers its pings
          readiness.register(RTPENGINE);
          pool.onLiveness(
              live -> {
                if (!stopped.get()) {
                  readiness.set(RTPENGINE, live ? Readiness.State.UP : Readiness.State.DOWN);
                }
              });
          mediaStart = pool::start;
          return new RtpengineBackend(
              pool, ng.sipAddressFamily(), ng.deleteDelay(), ng.keyframeWait());
        } catch (SocketException x) {
          throw new UncheckedIOException("cannot open a socket for rtpengine's NG protocol", x);
        }
      }
      default -> throw new IllegalStateException("unknown media backend " + settings.backend());
    }
  }

  public Readiness readiness() {
    return readiness;
  }
}

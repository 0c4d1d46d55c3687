package dev.tandem.app;

import dev.tandem.app.config.MediaSettings;
import dev.tandem.app.config.TandemConfig;
import dev.tandem.core.call.Bridging;
import dev.tandem.core.call.SdpGrammarCheck;
import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.core.media.MediaBackend;
import dev.tandem.core.media.SipMediaPolicy;
import dev.tandem.core.registrar.Directory;
import dev.tandem.core.registrar.Registrar;
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
import dev.tandem.ws.socket.BrowserEndpoint;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private final Readiness readiness = new Readiness();
  private final SignalingLoop loop = new SignalingLoop();
  private final Switchboard switchboard;
  private final HttpServer http;
  private final SipStackService sip;
  private final MediaBackend media;
  private final UpstreamRegistrations upstream;
  private final KeepalivePinger keepalives;
  private AutoCloseable mediaResources = () -> {};
  private Runnable mediaStart = () -> {};
  private final AtomicBoolean stopped = new AtomicBoolean();

  public Bridge(TandemConfig config) {
    this.config = config;
    Clock clock = Clock.systemUTC();
    this.sip = new SipStackService(config.sip(), readiness);
    SipCalls sipCalls =
        new SipCalls(
            sip,
            sip.messages(),
            config.sip().sessionExpires(),
            config.sip().minSessionExpires(),
            loop,
            loop);
    Registrar registrar = config.registrar().toRegistrar(clock::instant);
    DigestGate gate = new DigestGate(config.registrar(), sip.messages(), clock::instant);
    sipCalls.authenticateWith(gate);
    List<RequestHandler> handlers = new ArrayList<>(sipCalls.handlers());
    handlers.add(
        new RegisterHandler(config.registrar(), registrar, gate, sip.messages(), clock::instant));
    sip.handle(handlers, sipCalls);
    this.media = mediaBackend(config.media());
    this.keepalives = new KeepalivePinger(config.routing().keepalives(), sip, sip.messages());
    this.upstream =
        new UpstreamRegistrations(
            config.upstream(), config.routing().destinationsByName(), sip, sip.messages());
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
                    config.registrar().enabled() ? registrar : Directory.NONE,
                    upstream,
                    keepalives)));
    switchboard.routeInbound(
        config
            .routing()
            .inbound()
            .toPolicy(config.routing().trustedSources(), config.knownUsers()));
    switchboard.encryptSipMedia(
        new SipMediaPolicy(
            config.routing().mediaEncryptionByName(),
            config.registrar().mediaEncryptionByAccount(),
            config.registrar().mediaEncryption()));
    sipCalls.connect(switchboard);
    switchboard.watchPresence(upstream);
    Authenticator authenticator = new Authenticator(config.auth(), clock);
    IceServerProvider iceServers = new IceServerProvider(config.ice(), clock);
    this.http = new HttpServer(config.http(), config.shutdown().gracePeriod(), readiness);
    new BrowserEndpoint(
            config.ws(),
            switchboard,
            authenticator,
            iceServers,
            loop,
            config.sessions().resumeGrace(),
            System::nanoTime)
        .mount(http);
    http.route("/api/ice-servers", new IceServersHandler(authenticator, iceServers));
    http.staticFiles("web/", config.ws().allowedOrigins());
  }

  /** Starts every part; if one fails, stops those already started and rethrows. */
  public void start() throws StartupException {
    try {
      http.start();
      sip.start();
      keepalives.start();
      mediaStart.run();
    } catch (StartupException e) {
      stopParts();
      throw e;
    }
    log.info(
        "Tandem {} ready: http {}:{}, sip {}, media {}, {} SIP destinations, {} registrar"
            + " accounts, {} upstream accounts",
        TandemVersion.current(),
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
    try {
      mediaResources.close();
    } catch (Exception e) {
      log.warn("closing the media backend failed: {}", e.toString());
    }
    loop.close();
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
                      new TranslationOptions(e.opusTowardSip())));
          mediaResources = relay;
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
          // ready while at least one rtpengine answers its pings
          readiness.register(RTPENGINE);
          pool.onLiveness(
              live -> {
                if (!stopped.get()) {
                  readiness.set(RTPENGINE, live ? Readiness.State.UP : Readiness.State.DOWN);
                }
              });
          mediaStart = pool::start;
          return new RtpengineBackend(pool, ng.sipAddressFamily(), ng.deleteDelay());
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

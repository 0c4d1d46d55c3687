package dev.tandem.app;

import dev.tandem.app.config.TandemConfig;
import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.sip.stack.SipStackService;
import dev.tandem.ws.http.HttpServer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: builds every part from the configuration, starts them in order and stops them
 * in reverse. The one place that knows which parts exist.
 *
 * <p>Start order: HTTP first (so {@code /healthz} answers and {@code /readyz} says "not ready"
 * while the rest starts), then SIP. Stop: readiness off, SIP (no new calls, calls ended), HTTP.
 */
public final class Bridge {
  private static final Logger log = LoggerFactory.getLogger(Bridge.class);

  private final TandemConfig config;
  private final Readiness readiness = new Readiness();
  private final HttpServer http;
  private final SipStackService sip;
  private final AtomicBoolean stopped = new AtomicBoolean();

  public Bridge(TandemConfig config) {
    this.config = config;
    this.http = new HttpServer(config.http(), config.shutdown().gracePeriod(), readiness);
    this.sip = new SipStackService(config.sip(), readiness);
  }

  /** Starts every part; if one fails, stops those already started and rethrows. */
  public void start() throws StartupException {
    try {
      http.start();
      sip.start();
    } catch (StartupException e) {
      stopParts();
      throw e;
    }
    log.info(
        "Tandem {} ready: http {}:{}, sip {}",
        TandemVersion.current(),
        config.http().host(),
        config.http().port(),
        config.sip().listen());
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
    sip.stop();
    http.stop();
  }

  public Readiness readiness() {
    return readiness;
  }
}

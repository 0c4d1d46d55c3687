package dev.tandem.ws.socket;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket upgrade whose {@code Origin} is not allowed. A browser hides why an upgrade failed
 * (an HTTP 403 shows to the page as close 1006), so the upgrade is accepted and the socket closed
 * at once with {@link #CLOSE_CODE} and the reason, before any frame is read: the SDK can then say
 * "origin not allowed". Each refusal is logged at WARN, at most once per {@link #LOG_INTERVAL} with
 * the count of those not logged in between, so a hostile page cannot flood the log.
 */
public final class RefusedOrigin {
  /** The close code of a refused origin (docs/protocol.md). */
  static final int CLOSE_CODE = 4403;

  static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(RefusedOrigin.class);

  private final LongSupplier nanoTime;
  private final BrowserCounters counters;
  private final AtomicLong nextLogAt;
  private final AtomicLong suppressed = new AtomicLong();

  RefusedOrigin(LongSupplier nanoTime, BrowserCounters counters) {
    this.nanoTime = nanoTime;
    this.counters = counters;
    this.nextLogAt = new AtomicLong(nanoTime.getAsLong());
  }

  /** Logs the refusal (rate-limited) and returns the socket that closes with the reason. */
  Session.Listener.AutoDemanding refuse(String origin, String remote) {
    counters.originRefused();
    long now = nanoTime.getAsLong();
    long next = nextLogAt.get();
    if (now - next >= 0 && nextLogAt.compareAndSet(next, now + LOG_INTERVAL.toNanos())) {
      long more = suppressed.getAndSet(0);
      log.warn(
          "WebSocket from {} refused: origin {} is not allowed (ws.allowed-origins){}",
          remote,
          origin,
          more == 0 ? "" : "; " + more + " more refused since the last report");
    } else {
      suppressed.incrementAndGet();
    }
    String reason = "origin not allowed: " + origin;
    // a close reason is at most 123 bytes (RFC 6455 §5.5)
    String shown = reason.length() > 120 ? reason.substring(0, 120) : reason;
    return new Closer(shown);
  }

  /** The socket of a refused upgrade: closes as soon as it opens (Jetty needs a public class). */
  public static final class Closer implements Session.Listener.AutoDemanding {
    private final String reason;

    Closer(String reason) {
      this.reason = reason;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      session.close(CLOSE_CODE, reason, Callback.NOOP);
    }
  }
}

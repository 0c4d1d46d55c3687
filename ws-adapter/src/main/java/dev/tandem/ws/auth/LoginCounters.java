package dev.tandem.ws.auth;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of refused logins (WebSocket and {@code /api/ice-servers} alike), for the metrics
 * that bridge-app serves: refused passwords, refused tokens, and attempts turned away by the {@link
 * LoginThrottle} before their password was looked at. Counted by the {@link Authenticator}; read at
 * any time from any thread.
 */
public final class LoginCounters {
  private final LongAdder passwordsRefused = new LongAdder();
  private final LongAdder tokensRefused = new LongAdder();
  private final LongAdder throttled = new LongAdder();

  void refused(Credentials credentials) {
    (credentials instanceof Credentials.Token ? tokensRefused : passwordsRefused).increment();
  }

  void throttle() {
    throttled.increment();
  }

  /** Wrong user name or password. */
  public long passwordsRefused() {
    return passwordsRefused.sum();
  }

  /** Tokens refused: bad signature, expired, issued in the future, missing claims. */
  public long tokensRefused() {
    return tokensRefused.sum();
  }

  /** Password attempts refused unread while their user or address was throttled. */
  public long throttled() {
    return throttled.sum();
  }
}

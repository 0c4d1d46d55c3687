package dev.tandem.media.relay;

import java.util.concurrent.atomic.LongAdder;

/**
 * The embedded relay's running counts of browser media paths that failed for good, for the metrics
 * that bridge-app serves: DTLS handshakes that failed (timeout, wrong fingerprint, no common SRTP
 * profile), handshakes refused because every handshake thread and queue place was taken, and
 * browsers that stopped sending ICE consent checks once connected (RFC 7675). Each is counted once
 * per call, off the packet path; read at any time from any thread.
 */
public final class RelayFailures {
  private final LongAdder dtlsFailed = new LongAdder();
  private final LongAdder dtlsRefused = new LongAdder();
  private final LongAdder consentExpired = new LongAdder();

  void dtlsFailed() {
    dtlsFailed.increment();
  }

  void dtlsRefused() {
    dtlsRefused.increment();
  }

  void consentExpired() {
    consentExpired.increment();
  }

  /** DTLS handshakes with a browser that failed. */
  public long dtlsHandshakesFailed() {
    return dtlsFailed.sum();
  }

  /** DTLS handshakes not started: all {@code dtls-threads} busy and {@code dtls-queue} full. */
  public long dtlsHandshakesRefused() {
    return dtlsRefused.sum();
  }

  /** Calls whose browser stopped sending ICE consent checks (RFC 7675 §5.1). */
  public long iceConsentsExpired() {
    return consentExpired.sum();
  }
}

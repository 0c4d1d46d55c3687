package dev.tandem.bench.cps;

import java.util.concurrent.atomic.AtomicBoolean;

/** One call of the browser load; its outcome is decided once ({@link #done}). */
final class BrowserCall {
  final int index;
  final BrowserSession session;
  final AtomicBoolean done = new AtomicBoolean();
  volatile long invitedNanos;
  volatile long answeredNanos;
  volatile String callId;
  volatile boolean hungUp;

  BrowserCall(int index, BrowserSession session) {
    this.index = index;
    this.session = session;
  }
}

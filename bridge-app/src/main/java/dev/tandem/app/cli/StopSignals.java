package dev.tandem.app.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a latch the main thread waits on, so that the bridge stops through
 * its own code path and the process exits 0 — a JVM left to its default handler exits 143.
 */
final class StopSignals {
  private StopSignals() {}

  /** Installs the handlers; the latch opens at the first signal. */
  static CountDownLatch install() {
    CountDownLatch latch = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> latch.countDown());
    }
    return latch;
  }

  /**
   * Runs {@code reload} on SIGHUP, the Unix daemon's "read your configuration again"; it runs on a
   * thread of its own so that the signal handler returns at once.
   */
  static void onHangup(Runnable reload) {
    Signal.handle(
        new Signal("HUP"),
        signal -> {
          Thread worker = new Thread(reload, "sighup-reload");
          worker.setDaemon(true);
          worker.start();
        });
  }
}

package dev.tandem.media.relay;

import dev.tandem.sdp.translate.TranslationOptions;

/**
 * Where the embedded relay listens, what it announces, and the threads it may use.
 *
 * @param bindAddress the local address its sockets bind to
 * @param advertisedAddress the address put in SDP (a public one behind NAT), often the same
 * @param portMin first UDP port of the relay's range
 * @param portMax last UDP port of the range
 * @param ioThreads threads that forward media (each serves its share of the calls); 0: one per core
 * @param dtlsThreads the most DTLS handshakes that run at once, each on its own thread; 0: two per
 *     core
 * @param dtlsQueue the most handshakes that wait for a thread; beyond it a handshake is refused and
 *     its call fails
 */
public record RelaySettings(
    String bindAddress,
    String advertisedAddress,
    int portMin,
    int portMax,
    int ioThreads,
    int dtlsThreads,
    int dtlsQueue,
    TranslationOptions translation) {

  /** Handshakes that may wait for a thread by default. */
  public static final int DEFAULT_DTLS_QUEUE = 64;

  public RelaySettings {
    if (ioThreads < 0 || dtlsThreads < 0) {
      throw new IllegalArgumentException(
          "thread counts cannot be negative: io " + ioThreads + ", dtls " + dtlsThreads);
    }
    if (dtlsQueue < 1) {
      throw new IllegalArgumentException("the DTLS queue needs a place at least: " + dtlsQueue);
    }
  }

  /** The number of media threads to run: {@code ioThreads}, or one per core when it is 0. */
  int threads() {
    return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
  }

  /** The number of DTLS handshake threads: {@code dtlsThreads}, or two per core when it is 0. */
  int handshakeThreads() {
    return dtlsThreads > 0 ? dtlsThreads : 2 * Runtime.getRuntime().availableProcessors();
  }
}

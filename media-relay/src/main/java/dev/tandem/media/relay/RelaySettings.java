package dev.tandem.media.relay;

import dev.tandem.sdp.translate.TranslationOptions;

/**
 * Where the embedded relay listens and what it announces.
 *
 * @param bindAddress the local address its sockets bind to
 * @param advertisedAddress the address put in SDP (a public one behind NAT), often the same
 * @param portMin first UDP port of the relay's range
 * @param portMax last UDP port of the range
 * @param ioThreads threads that forward media (each serves its share of the calls); 0: one per core
 */
public record RelaySettings(
    String bindAddress,
    String advertisedAddress,
    int portMin,
    int portMax,
    int ioThreads,
    TranslationOptions translation) {

  /** The number of media threads to run: {@code ioThreads}, or one per core when it is 0. */
  int threads() {
    return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
  }
}

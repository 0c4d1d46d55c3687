package dev.tandem.media.relay;

import dev.tandem.sdp.Connection;
import dev.tandem.sdp.translate.RelayAddresses;
import dev.tandem.sdp.translate.TranslationOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the embedded relay listens, what it announces, and the threads it may use.
 *
 * @param bindAddress the local address its sockets bind to; a wildcard ({@code 0.0.0.0} or {@code
 *     ::}) serves both address families (Java's sockets are dual-stack unless {@code
 *     java.net.preferIPv4Stack} is set), a specific address only its own
 * @param advertised the addresses put in SDP (public ones behind NAT), often the bind address: one,
 *     or an IPv4 and an IPv6 one, so that a browser on one family can reach a SIP peer on the other
 * @param portMin first UDP port of the relay's range
 * @param portMax last UDP port of the range
 * @param ioThreads threads that forward media (each serves its share of the calls); 0: one per core
 * @param dtlsThreads the most DTLS handshakes that run at once, each on its own thread; 0: two per
 *     core
 * @param dtlsQueue the most handshakes that wait for a thread; beyond it a handshake is refused and
 *     its call fails
 * @param translation how SDP is translated (codecs toward SIP)
 * @param keyframeInterval the least time between two key-frame requests of one call's browser that
 *     the relay passes to core's key-frame listener (a browser repeats its PLI for every lost
 *     frame; this keeps such a storm off core's executor, while core's own {@code
 *     calls.keyframe-request-interval} decides how often a SIP INFO goes out)
 * @param receiveBuffer each media socket's receive buffer in bytes (0: the system's default), see
 *     {@link RelaySockets}
 */
public record RelaySettings(
    String bindAddress,
    RelayAddresses advertised,
    int portMin,
    int portMax,
    int ioThreads,
    int dtlsThreads,
    int dtlsQueue,
    TranslationOptions translation,
    java.time.Duration keyframeInterval,
    int receiveBuffer) {

  /** Handshakes that may wait for a thread by default. */
  public static final int DEFAULT_DTLS_QUEUE = 64;

  /** At most one key-frame request per call toward SIP INFO in this time, by default. */
  public static final java.time.Duration DEFAULT_KEYFRAME_INTERVAL =
      java.time.Duration.ofMillis(500);

  /**
   * Receive buffer of each media socket by default: a second of a 1 Mbit/s video stream with the
   * kernel's per-datagram overhead, so a media thread paused that long loses nothing.
   */
  public static final int DEFAULT_RECEIVE_BUFFER = 1 << 20;

  /** With the default {@link #DEFAULT_KEYFRAME_INTERVAL} and {@link #DEFAULT_RECEIVE_BUFFER}. */
  public RelaySettings(
      String bindAddress,
      RelayAddresses advertised,
      int portMin,
      int portMax,
      int ioThreads,
      int dtlsThreads,
      int dtlsQueue,
      TranslationOptions translation) {
    this(
        bindAddress,
        advertised,
        portMin,
        portMax,
        ioThreads,
        dtlsThreads,
        dtlsQueue,
        translation,
        DEFAULT_KEYFRAME_INTERVAL,
        DEFAULT_RECEIVE_BUFFER);
  }

  public RelaySettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(advertised, "advertised");
    familyProblem(bindAddress, advertised)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    if (ioThreads < 0 || dtlsThreads < 0) {
      throw new IllegalArgumentException(
          "thread counts cannot be negative: io " + ioThreads + ", dtls " + dtlsThreads);
    }
    Objects.requireNonNull(keyframeInterval, "keyframeInterval");
    if (keyframeInterval.isNegative()) {
      throw new IllegalArgumentException(
          "the key-frame request interval cannot be negative: " + keyframeInterval);
    }
    if (receiveBuffer < 0) {
      throw new IllegalArgumentException("the receive buffer cannot be negative: " + receiveBuffer);
    }
    if (dtlsQueue < 1) {
      throw new IllegalArgumentException("the DTLS queue needs a place at least: " + dtlsQueue);
    }
  }

  /**
   * Why sockets bound to {@code bind} cannot carry media for every address of {@code advertised},
   * if they cannot: an IPv6 address needs a bind address that is IPv6 or the wildcard, an IPv4
   * address (or host name) one that is IPv4 or the wildcard. A bind host name is not judged.
   */
  public static Optional<String> familyProblem(String bind, RelayAddresses advertised) {
    String bindType;
    if (bind.contains(":")) {
      bindType = "IP6";
    } else if (bind.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      bindType = "IP4";
    } else {
      return Optional.empty();
    }
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("0:0:0:0:0:0:0:0")) {
      return Optional.empty();
    }
    for (String address : advertised.all()) {
      String type = Connection.of(address).addrtype();
      if (!type.equals(bindType)) {
        return Optional.of(
            "the relay announces "
                + address
                + " ("
                + (type.equals("IP6") ? "IPv6" : "IPv4")
                + "), but its sockets bound to "
                + bind
                + " carry only "
                + (bindType.equals("IP6") ? "IPv6" : "IPv4")
                + ": bind to :: or 0.0.0.0 (both families) or to an address of that family");
      }
    }
    return Optional.empty();
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

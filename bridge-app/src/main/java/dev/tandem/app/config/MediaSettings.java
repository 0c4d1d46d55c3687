package dev.tandem.app.config;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.media.relay.RelaySettings;
import dev.tandem.media.rtpengine.SipAddressFamily;
import dev.tandem.sdp.translate.RelayAddresses;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code media} section: what relays the audio of browser ⇄ SIP calls.
 *
 * @param backend which media backend bridges calls
 * @param rtpengine where rtpengine's NG control port is, when it is the backend
 * @param embedded the embedded relay's sockets, when it is the backend
 */
public record MediaSettings(
    Backend backend, RtpengineSettings rtpengine, EmbeddedSettings embedded) {
  public static MediaSettings defaults() {
    return new MediaSettings(
        Backend.EMBEDDED, RtpengineSettings.defaults(), EmbeddedSettings.defaults());
  }

  /** The media backends. */
  public enum Backend {
    RTPENGINE,
    EMBEDDED
  }

  /**
   * @param bind the address the relay's UDP sockets bind to ({@code ::} or {@code 0.0.0.0}: both
   *     address families)
   * @param advertised the address written into SDP (a public one behind NAT), IPv4 or IPv6
   * @param advertisedV6 an IPv6 address written toward SIP peers on IPv6 and offered to browsers as
   *     a second ICE candidate, when {@code advertised} is IPv4
   * @param portMin first UDP port (each call takes two even/odd pairs)
   * @param portMax last UDP port
   * @param opusTowardSip let opus through to SIP peers (only useful when they have it)
   * @param ioThreads threads that forward media; 0: one per core
   * @param dtlsThreads the most DTLS handshakes running at once, one thread each; 0: two per core
   * @param dtlsQueue the most handshakes waiting for a thread; one beyond fails its call
   */
  public record EmbeddedSettings(
      @NotBlank String bind,
      @NotBlank String advertised,
      Optional<String> advertisedV6,
      @Range(min = 1024, max = 65534) int portMin,
      @Range(min = 1025, max = 65535) int portMax,
      boolean opusTowardSip,
      @Range(min = 0, max = 256) int ioThreads,
      @Range(min = 0, max = 256) int dtlsThreads,
      @Range(min = 1, max = 100_000) int dtlsQueue)
      implements SelfChecking {
    public static EmbeddedSettings defaults() {
      return new EmbeddedSettings(
          "127.0.0.1", "127.0.0.1", Optional.empty(), 20000, 29999, false, 0, 0, 64);
    }

    /** The advertised addresses as the relay takes them (checked by {@link #check}). */
    public RelayAddresses addresses() {
      return new RelayAddresses(advertised, advertisedV6);
    }

    @Override
    public void check(Problems problems) {
      if (advertisedV6.isPresent() && !advertisedV6.get().contains(":")) {
        problems.add("advertised-v6", "must be an IPv6 address, not '" + advertisedV6.get() + "'");
        return;
      }
      RelayAddresses addresses;
      try {
        addresses = addresses();
      } catch (IllegalArgumentException e) {
        problems.add(
            advertisedV6.isPresent() ? "advertised-v6" : "advertised",
            e.getMessage()
                + (advertisedV6.isPresent()
                    ? " (advertised-v6 is for a relay whose advertised address is IPv4)"
                    : ""));
        return;
      }
      RelaySettings.familyProblem(bind, addresses).ifPresent(p -> problems.add("bind", p));
    }
  }

  /**
   * @param host rtpengine's {@code listen-ng} address
   * @param port rtpengine's {@code listen-ng} port
   * @param retransmit how long to wait for an answer before sending a command again
   * @param timeout how long to wait in all before the call fails
   * @param sipAddressFamily the address family of offers toward SIP peers ({@code auto}: the
   *     browser's)
   */
  public record RtpengineSettings(
      @NotBlank String host,
      @Range(min = 1, max = 65535) int port,
      @DurationRange(minMillis = 50, maxMillis = 10_000) Duration retransmit,
      @DurationRange(minMillis = 100, maxMillis = 60_000) Duration timeout,
      SipAddressFamily sipAddressFamily) {
    public static RtpengineSettings defaults() {
      return new RtpengineSettings(
          "127.0.0.1", 2223, Duration.ofMillis(500), Duration.ofSeconds(3), SipAddressFamily.AUTO);
    }
  }
}

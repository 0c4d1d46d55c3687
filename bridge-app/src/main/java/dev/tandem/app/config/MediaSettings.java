package dev.tandem.app.config;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import java.time.Duration;

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
   * @param bind the address the relay's UDP sockets bind to
   * @param advertised the address written into SDP (a public one behind NAT)
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
      @Range(min = 1024, max = 65534) int portMin,
      @Range(min = 1025, max = 65535) int portMax,
      boolean opusTowardSip,
      @Range(min = 0, max = 256) int ioThreads,
      @Range(min = 0, max = 256) int dtlsThreads,
      @Range(min = 1, max = 100_000) int dtlsQueue) {
    public static EmbeddedSettings defaults() {
      return new EmbeddedSettings("127.0.0.1", "127.0.0.1", 20000, 29999, false, 0, 0, 64);
    }
  }

  /**
   * @param host rtpengine's {@code listen-ng} address
   * @param port rtpengine's {@code listen-ng} port
   * @param retransmit how long to wait for an answer before sending a command again
   * @param timeout how long to wait in all before the call fails
   */
  public record RtpengineSettings(
      @NotBlank String host,
      @Range(min = 1, max = 65535) int port,
      @DurationRange(minMillis = 50, maxMillis = 10_000) Duration retransmit,
      @DurationRange(minMillis = 100, maxMillis = 60_000) Duration timeout) {
    public static RtpengineSettings defaults() {
      return new RtpengineSettings(
          "127.0.0.1", 2223, Duration.ofMillis(500), Duration.ofSeconds(3));
    }
  }
}

package dev.tandem.app.config;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.media.relay.RelaySettings;
import dev.tandem.media.rtpengine.NgEndpoint;
import dev.tandem.media.rtpengine.RtpengineBackend;
import dev.tandem.media.rtpengine.SipAddressFamily;
import dev.tandem.sdp.translate.RelayAddresses;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
   * @param receiveBuffer each media socket's receive buffer in bytes (0: the system's default),
   *     capped by the kernel ({@code net.core.rmem_max})
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
      @Range(min = 1, max = 100_000) int dtlsQueue,
      @Range(min = 0, max = 67_108_864) int receiveBuffer)
      implements SelfChecking {
    public static EmbeddedSettings defaults() {
      return new EmbeddedSettings(
          "127.0.0.1",
          "127.0.0.1",
          Optional.empty(),
          20000,
          29999,
          false,
          0,
          0,
          64,
          RelaySettings.DEFAULT_RECEIVE_BUFFER);
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
   * One rtpengine or a pool of them.
   *
   * @param host rtpengine's {@code listen-ng} address (one rtpengine; unused with {@code
   *     instances})
   * @param port rtpengine's {@code listen-ng} port (one rtpengine; unused with {@code instances})
   * @param instances a pool: each rtpengine's NG address and weight, instead of host and port
   * @param retransmit how long to wait for an answer before sending a command again
   * @param timeout how long to wait in all before the call fails (and the instance counts as dead)
   * @param pingInterval how often each instance gets an NG {@code ping}; one unanswered within this
   *     interval is dead (no new calls) until it answers again
   * @param deleteDelay how long rtpengine keeps a call after the bridge deletes it (NG {@code
   *     delete delay}, whole seconds; rtpengine's own default is 30 s, holding the call's ports)
   * @param sipAddressFamily the address family of offers toward SIP peers ({@code auto}: the
   *     browser's)
   * @param keyframeWait how long after an answer that starts video toward a SIP peer without RTCP
   *     feedback the bridge waits for the browser's video, to ask the peer for a key frame by SIP
   *     INFO (rtpengine drops the browser's PLIs toward {@code RTP/AVP}); {@code 0s}: never
   */
  public record RtpengineSettings(
      @NotBlank String host,
      @Range(min = 1, max = 65535) int port,
      Optional<List<RtpengineInstance>> instances,
      @DurationRange(minMillis = 50, maxMillis = 10_000) Duration retransmit,
      @DurationRange(minMillis = 100, maxMillis = 60_000) Duration timeout,
      @DurationRange(minMillis = 100, maxMillis = 60_000) Duration pingInterval,
      @DurationRange(minMillis = 0, maxMillis = 3_600_000) Duration deleteDelay,
      SipAddressFamily sipAddressFamily,
      @DurationRange(minMillis = 0, maxMillis = 60_000) Duration keyframeWait)
      implements SelfChecking {
    public static RtpengineSettings defaults() {
      return new RtpengineSettings(
          "127.0.0.1",
          2223,
          Optional.empty(),
          Duration.ofMillis(500),
          Duration.ofSeconds(3),
          Duration.ofSeconds(1),
          Duration.ZERO,
          SipAddressFamily.AUTO,
          RtpengineBackend.KEYFRAME_WAIT);
    }

    /** The NG endpoints: {@code instances}, or the one at {@code host:port}. */
    public List<NgEndpoint> endpoints() {
      return instances
          .map(
              list ->
                  list.stream().map(i -> new NgEndpoint(i.host(), i.port(), i.weight())).toList())
          .orElse(List.of(new NgEndpoint(host, port, 1)));
    }

    @Override
    public void check(Problems problems) {
      if (deleteDelay.toMillis() % 1000 != 0) {
        problems.add("delete-delay", "must be whole seconds (rtpengine takes seconds)");
      }
      if (instances.isEmpty()) {
        return;
      }
      List<RtpengineInstance> list = instances.get();
      if (list.isEmpty()) {
        problems.add(
            "instances", "needs at least one rtpengine (or leave it out and use host/port)");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String name = list.get(i).host() + ":" + list.get(i).port();
        if (!seen.add(name)) {
          problems.add("instances[" + i + "]", name + " is listed twice");
        }
      }
    }
  }

  /**
   * One rtpengine of a pool.
   *
   * @param host its {@code listen-ng} address
   * @param port its {@code listen-ng} port
   * @param weight its share of new calls among the live instances
   */
  public record RtpengineInstance(
      @NotBlank String host,
      @Range(min = 1, max = 65535) int port,
      @Range(min = 1, max = 1000) int weight) {
    public static RtpengineInstance defaults() {
      return new RtpengineInstance("127.0.0.1", 2223, 1);
    }
  }
}

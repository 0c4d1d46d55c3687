package dev.tandem.sip;

import dev.tandem.core.config.DurationRange;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code sip} section of the configuration.
 *
 * @param listen where the stack listens; each transport and address at most once
 * @param userAgent the product name in {@code Server} and {@code User-Agent} headers
 * @param maxMessageSize the largest SIP message accepted over a stream transport, in bytes
 * @param threads the number of threads that process SIP messages
 * @param sessionExpires the session interval proposed and accepted (RFC 4028); zero turns session
 *     timers off
 * @param minSessionExpires the shortest session interval accepted (Min-SE; smaller: 422)
 * @param tls the certificate of TLS listen points and the CAs TLS peers must chain to
 * @param tcp caps and timeouts for the connections TCP and TLS listen points accept
 */
public record SipSettings(
    List<ListenPoint> listen,
    @NotBlank String userAgent,
    @Range(min = 1024, max = 1_048_576) int maxMessageSize,
    @Range(min = 1, max = 256) int threads,
    @DurationRange(minMillis = 0, maxMillis = 86_400_000) Duration sessionExpires,
    @DurationRange(minMillis = 1_000, maxMillis = 86_400_000) Duration minSessionExpires,
    TlsSettings tls,
    TcpSettings tcp)
    implements SelfChecking {

  public SipSettings {
    listen = List.copyOf(listen);
  }

  /** Listens on UDP and TCP 127.0.0.1:5060. */
  public static SipSettings defaults() {
    return new SipSettings(
        List.of(
            new ListenPoint(SipTransport.UDP, "127.0.0.1", 5060),
            new ListenPoint(SipTransport.TCP, "127.0.0.1", 5060)),
        "Tandem",
        65_536,
        8,
        Duration.ofMinutes(30),
        Duration.ofSeconds(90),
        TlsSettings.defaults(),
        TcpSettings.defaults());
  }

  /** With session timers at their defaults (1800 s, Min-SE 90 s), no TLS, default TCP limits. */
  public SipSettings(List<ListenPoint> listen, String userAgent, int maxMessageSize, int threads) {
    this(listen, userAgent, maxMessageSize, threads, TcpSettings.defaults());
  }

  /** With session timers at their defaults (1800 s, Min-SE 90 s) and no TLS. */
  public SipSettings(
      List<ListenPoint> listen,
      String userAgent,
      int maxMessageSize,
      int threads,
      TcpSettings tcp) {
    this(
        listen,
        userAgent,
        maxMessageSize,
        threads,
        Duration.ofMinutes(30),
        Duration.ofSeconds(90),
        TlsSettings.defaults(),
        tcp);
  }

  /**
   * Two listen points of one transport and port that cannot both bind: the same address written two
   * ways ({@code ::1}, {@code 0:0:0:0:0:0:0:1}), or a wildcard beside any address of its family
   * ({@code ::} also takes IPv4).
   */
  private static boolean overlaps(ListenPoint a, ListenPoint b) {
    if (a.transport() != b.transport() || a.port() != b.port()) {
      return false;
    }
    var x = HostPort.literal(a.host());
    var y = HostPort.literal(b.host());
    if (x.isEmpty() || y.isEmpty()) {
      return false;
    }
    if (x.get().equals(y.get())) {
      return true;
    }
    ListenPoint wildcard = a.wildcard() ? a : b.wildcard() ? b : null;
    if (wildcard == null) {
      return false;
    }
    // an IPv6 wildcard also takes IPv4; an IPv4 one only IPv4
    return x.get().getClass() == y.get().getClass()
        || HostPort.literal(wildcard.host()).orElseThrow() instanceof Inet6Address;
  }

  /** Whether any listen point is TLS (which needs {@code tls.certificate} and private key). */
  public boolean usesTls() {
    return listen.stream().anyMatch(p -> p.transport() == SipTransport.TLS);
  }

  @Override
  public void check(Problems problems) {
    if (usesTls() && (tls.certificate().isEmpty() || tls.privateKey().isEmpty())) {
      problems.add("tls", "a tls listen point needs tls.certificate and tls.private-key");
    }
    if (!sessionExpires.isZero() && sessionExpires.compareTo(minSessionExpires) < 0) {
      problems.add("session-expires", "shorter than min-session-expires");
    }
    if (listen.isEmpty()) {
      problems.add("listen", "needs at least one listen point");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < listen.size(); i++) {
      if (!seen.add(listen.get(i).toString())) {
        problems.add(
            "listen[" + i + "]", "duplicates an earlier listen point (" + listen.get(i) + ")");
        continue;
      }
      for (int j = 0; j < i; j++) {
        if (overlaps(listen.get(j), listen.get(i))) {
          problems.add(
              "listen[" + i + "]",
              "takes the same port as listen[" + j + "] (" + listen.get(j) + ")");
          break;
        }
      }
    }
  }
}

package dev.tandem.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.call.CallSettings;
import dev.tandem.core.call.SdpGrammarCheck;
import dev.tandem.core.call.SessionSettings;
import dev.tandem.core.call.SignalingLoop;
import dev.tandem.core.call.Switchboard;
import dev.tandem.core.registrar.RegisterRequest;
import dev.tandem.core.registrar.Registrar;
import dev.tandem.core.sip.Destination;
import dev.tandem.media.relay.EmbeddedRelay;
import dev.tandem.media.relay.RelaySettings;
import dev.tandem.sdp.translate.RelayAddresses;
import dev.tandem.sdp.translate.TranslationOptions;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.stack.Advertised;
import dev.tandem.sip.stack.DigestAuth;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.upstream.UpstreamAccount;
import dev.tandem.sip.upstream.UpstreamRegistrations;
import dev.tandem.sip.upstream.UpstreamSettings;
import dev.tandem.ws.auth.AuthSettings;
import dev.tandem.ws.auth.Authenticator;
import dev.tandem.ws.auth.Credentials;
import dev.tandem.ws.socket.BrowserCounters;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sip.SipProvider;
import org.junit.jupiter.api.Test;

/**
 * The metrics read when Prometheus scrapes (sessions, logins, limits, registrations, the relay's
 * totals) come out with their names, types and labels, and with the sources' current figures.
 */
class ScrapeTimeMetricsTest {
  /** Runs its work at once; no transport (REGISTERs cannot go out). */
  private static final class Inline implements Providers {
    @Override
    public Optional<SipProvider> provider(SipTransport transport) {
      return Optional.empty();
    }

    @Override
    public void send(Runnable work) {
      work.run();
    }

    @Override
    public void sendLater(Duration delay, Runnable work) {}

    @Override
    public Advertised advertised() {
      return new Advertised(List.of());
    }

    @Override
    public DigestAuth digest() {
      throw new UnsupportedOperationException();
    }
  }

  private static String exposition(TandemMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void browserRegistrationAndRelayFiguresAreReadAtScrapeTime() throws Exception {
    TandemMetrics metrics = new TandemMetrics("test");
    SignalingLoop loop = new SignalingLoop();
    try (EmbeddedRelay relay =
        new EmbeddedRelay(
            new RelaySettings(
                "127.0.0.1",
                RelayAddresses.of("127.0.0.1"),
                43000,
                43099,
                1,
                1,
                4,
                TranslationOptions.defaults()))) {
      Switchboard switchboard =
          new Switchboard(
              loop,
              loop,
              SessionSettings.defaults(),
              CallSettings.defaults(),
              new SdpGrammarCheck());
      Authenticator authenticator = new Authenticator(AuthSettings.defaults(), Clock.systemUTC());
      authenticator.authenticate(new Credentials.Password("mallory", "guess"), "192.0.2.7");
      metrics.browser(switchboard, authenticator.counters(), new BrowserCounters());
      Registrar registrar =
          new Registrar(List.of(new Registrar.Account("1001", Optional.empty())), 2, Instant::now);
      registrar.register(
          "1001",
          new RegisterRequest(
              "reg-1",
              1,
              false,
              List.of(
                  new RegisterRequest.ContactUpdate(
                      "sip:1001@192.0.2.10:5060", Duration.ofSeconds(60))),
              Destination.Transport.UDP,
              "192.0.2.10",
              5060));
      UpstreamRegistrations upstream =
          new UpstreamRegistrations(
              new UpstreamSettings(
                  Map.of(
                      "alice",
                      new UpstreamAccount(
                          "pbx",
                          "2001",
                          "secret-2001",
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty())),
                  Optional.empty(),
                  Duration.ofSeconds(60)),
              Map.of(
                  "pbx",
                  new Destination(
                      "pbx", "127.0.0.1", 5060, Destination.Transport.UDP, Optional.empty())),
              new Inline(),
              new SipMessages("test"),
              new dev.tandem.core.vocabulary.NodeId("node-test"),
              java.time.Clock.systemUTC());
      metrics.registrations(registrar, upstream);
      metrics.relay(relay);

      String text = exposition(metrics);
      assertThat(text)
          .contains("# TYPE tandem_browser_sessions gauge")
          .contains("tandem_browser_sessions{state=\"connected\"} 0")
          .contains("tandem_browser_sessions{state=\"detached\"} 0")
          .contains("# TYPE tandem_login_failures_total counter")
          .contains("tandem_login_failures_total{credentials=\"password\"} 1.0")
          .contains("tandem_login_failures_total{credentials=\"token\"} 0.0")
          .contains("tandem_logins_throttled_total 0.0")
          .contains("tandem_browser_messages_refused_total{reason=\"rate_limited\"} 0.0")
          .contains("tandem_browser_origins_refused_total 0.0")
          .contains("# TYPE tandem_registrar_bindings gauge")
          .contains("tandem_registrar_bindings 1")
          .contains("tandem_upstream_registrations{state=\"offline\"} 1")
          .contains("tandem_upstream_registrations{state=\"registered\"} 0")
          .contains("tandem_relay_packets_total{from=\"browser\"} 0.0")
          .contains("tandem_relay_bytes_total{from=\"sip\"} 0.0")
          .contains("tandem_relay_dropped_packets_total 0.0")
          .contains("tandem_relay_dtls_handshake_failures_total{kind=\"refused\"} 0.0")
          .contains("tandem_relay_ice_consent_failures_total 0.0");
      upstream.online("alice");
      assertThat(exposition(metrics))
          .contains("tandem_upstream_registrations{state=\"failed\"} 1")
          .contains("tandem_upstream_registrations{state=\"offline\"} 0");
    } finally {
      loop.close();
    }
  }
}

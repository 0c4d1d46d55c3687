package dev.tandem.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.dialplan.Routing;
import dev.tandem.core.sip.CallerId;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.TrunkIdentity;
import dev.tandem.core.sip.TrunkIdentity.DisplayName;
import dev.tandem.core.sip.TrunkIdentity.FromUser;
import dev.tandem.core.sip.TrunkIdentity.IdentityHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routing.destinations.<name>}'s trunk identity keys (domain, from, identity-header,
 * anonymous) and the user directory's number and display name, bound and checked; the two configs
 * of the cookbook (a carrier trunk, Kamailio serving a domain) load as shown.
 */
class TrunkIdentityConfigTest {
  /** The cookbook's carrier trunk: digest, each user's DID (else the main number) as From, PAI. */
  static final String CARRIER =
      """
      auth:
        users:
          alice: { password: alice-dev, number: "+15551230001", display-name: "Alice Smith" }
          bob: { password: bob-dev }
      routing:
        destinations:
          carrier:
            host: sip.carrier.example
            port: 5060
            transport: udp
            domain: carrier.example
            username: acct123
            password: secret
            from:
              user: number
              fixed-user: "15551230000"
              display-name: user
            identity-header: pai
        dial-plan:
          - { name: national, pattern: "\\\\+?[0-9]{7,15}", destination: carrier }
        permissions:
          everyone: [national]
      """;

  /** The cookbook's Kamailio registrar serving example.test. */
  static final String KAMAILIO =
      """
      routing:
        destinations:
          kamailio: { host: 127.0.0.1, port: 5060, domain: example.test }
        dial-plan:
          - { name: kamailio-users, pattern: "[a-z][a-z0-9._-]*|[0-9]{3,6}", destination: kamailio }
        permissions:
          everyone: [kamailio-users]
      """;

  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(Map.of());

  private TandemConfig load(String text) throws Exception {
    return loader.load(Optional.of(yaml(text)), List.of());
  }

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tandem.yaml");
    Files.writeString(file, text);
    return file;
  }

  private List<String> problems(String text) throws IOException {
    try {
      loader.load(Optional.of(yaml(text)), List.of());
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected the configuration to be refused");
  }

  @Test
  void theCarrierTrunkBindsToItsDomainIdentityAndCredentials() throws Exception {
    TandemConfig config = load(CARRIER);
    Destination carrier = config.routing().destinationsByName().get("carrier");
    assertThat(carrier.domain()).contains("carrier.example");
    assertThat(carrier.credentials())
        .contains(new Destination.DigestCredentials("acct123", "secret"));
    assertThat(carrier.identity())
        .isEqualTo(
            new TrunkIdentity(
                FromUser.NUMBER,
                Optional.of("15551230000"),
                DisplayName.USER,
                Optional.empty(),
                Optional.empty(),
                IdentityHeader.PAI,
                true));
    Routing.ToSip routing =
        (Routing.ToSip) config.routing().toDialPlan().route("alice", "+15559876543");
    assertThat(routing.route().requestUri()).isEqualTo("sip:+15559876543@carrier.example");
    UserProfile alice =
        new UserProfile("alice", Optional.of("Alice Smith"), Optional.of("+15551230001"));
    assertThat(config.auth().users().get("alice").number()).contains("+15551230001");
    assertThat(carrier.identity().callerId(alice, carrier.domain(), Optional.empty(), false))
        .isEqualTo(
            new CallerId(
                Optional.of("Alice Smith"),
                "+15551230001",
                Optional.of("carrier.example"),
                IdentityHeader.PAI,
                false));
    // bob has no number: the trunk's main number
    assertThat(
            carrier
                .identity()
                .callerId(UserProfile.of("bob"), carrier.domain(), Optional.empty(), false)
                .user())
        .isEqualTo("15551230000");
  }

  @Test
  void kamailioServingADomainGetsItInTheRequestUriAndKeepsTheDefaultIdentity() throws Exception {
    TandemConfig config = load(KAMAILIO);
    Destination kamailio = config.routing().destinationsByName().get("kamailio");
    assertThat(kamailio.identity())
        .isEqualTo(
            new TrunkIdentity(
                FromUser.BROWSER_USER,
                Optional.empty(),
                DisplayName.NONE,
                Optional.empty(),
                Optional.empty(),
                IdentityHeader.NONE,
                false));
    assertThat(
            ((Routing.ToSip) config.routing().toDialPlan().route("alice", "bob"))
                .route()
                .requestUri())
        .isEqualTo("sip:bob@example.test");
  }

  @Test
  void withoutIdentitySettingsADestinationIsAsBefore() throws Exception {
    TandemConfig config =
        load("routing:\n  destinations:\n    pbx: { host: 192.0.2.10, port: 5070 }\n");
    Destination pbx = config.routing().destinationsByName().get("pbx");
    assertThat(pbx.domain()).isEmpty();
    assertThat(pbx.identity()).isEqualTo(TrunkIdentity.DEFAULT);
  }

  @Test
  void anonymousCallsAreAllowedWhereThereIsAnIdentityHeaderUnlessSaidOtherwise() throws Exception {
    TandemConfig config =
        load(
            """
            routing:
              destinations:
                ppi: { host: 192.0.2.1, port: 5060, identity-header: ppi }
                closed: { host: 192.0.2.2, port: 5060, identity-header: pai, anonymous: false }
                open: { host: 192.0.2.3, port: 5060, anonymous: true }
            """);
    Map<String, Destination> byName = config.routing().destinationsByName();
    assertThat(byName.get("ppi").identity().anonymousAllowed()).isTrue();
    assertThat(byName.get("closed").identity().anonymousAllowed()).isFalse();
    assertThat(byName.get("open").identity().anonymousAllowed()).isTrue();
  }

  @Test
  void badDomainsUnknownModesAndMissingValuesAreRefusedWithTheirPaths() throws Exception {
    assertThat(
            problems(
                """
                auth:
                  users:
                    erin: { password: x, number: "555-1234" }
                routing:
                  destinations:
                    a:
                      host: 192.0.2.1
                      port: 5060
                      from: { user: fixed, display-name: fixed, domain: "bad domain" }
                    d: { host: 192.0.2.4, port: 5060, domain: "sip:carrier.example:5060" }
                    b:
                      host: 192.0.2.2
                      port: 5060
                      from: { user: extension }
                      identity-header: pia
                    c:
                      host: 192.0.2.3
                      port: 5060
                      from: { fixed-user: "a b", fixed-display-name: "x" }
                """))
        .containsExactlyInAnyOrder(
            "auth.users.erin.number: must be digits with an optional leading +, not '555-1234'",
            "routing.destinations.d.domain: must be a domain name or an IP address (no port, no"
                + " scheme), not 'sip:carrier.example:5060'",
            "routing.destinations.a.from.fixed-user: user: fixed needs the account or number here",
            "routing.destinations.a.from.fixed-display-name: display-name: fixed needs the name"
                + " here",
            "routing.destinations.a.from.domain: must be a domain name or an IP address (no port,"
                + " no scheme), not 'bad domain'",
            "routing.destinations.b.from.user: must be one of browser-user, number, fixed, not"
                + " 'extension'",
            "routing.destinations.b.identity-header: must be one of none, pai, ppi, not 'pia'",
            "routing.destinations.c.from.fixed-user: is used only with user: fixed or number",
            "routing.destinations.c.from.fixed-user: must be 1..64 of A-Z a-z 0-9 + . _ - ! ~ * '"
                + " (a SIP user part), not 'a b'",
            "routing.destinations.c.from.fixed-display-name: is used only with display-name:"
                + " fixed");
  }

  @Test
  void theTokensNumberAndNameClaimsAreConfigurable() throws Exception {
    TandemConfig config = load("auth:\n  jwt:\n    number-claim: did\n    name-claim: \"\"\n");
    assertThat(config.auth().jwt().numberClaim()).isEqualTo("did");
    assertThat(config.auth().jwt().nameClaim()).isEmpty();
    assertThat(TandemConfig.defaults().auth().jwt().numberClaim()).isEqualTo("phone_number");
  }

  @Test
  void theEffectiveConfigurationShowsTheIdentityAndLoadsBackTheSame() throws Exception {
    TandemConfig config = load(CARRIER);
    String shown = ConfigLoader.toYaml(config);
    assertThat(shown)
        .contains("domain: carrier.example")
        .contains("identity-header: pai")
        .contains("fixed-user: \"15551230000\"")
        .contains("number: \"+15551230001\"");
    assertThat(load(shown)).isEqualTo(config);
  }
}

package dev.tandem.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final ConfigLoader loader = new ConfigLoader(Map.of());

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tandem.yaml");
    Files.writeString(file, text);
    return file;
  }

  private List<String> problemsOf(ConfigLoader loader, Optional<Path> file, List<String> sets) {
    try {
      loader.load(file, sets);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected the configuration to be refused");
  }

  @Test
  void runsOnDefaultsWithoutAFile() throws Exception {
    assertThat(loader.load(Optional.empty(), List.of())).isEqualTo(TandemConfig.defaults());
  }

  @Test
  void documentedDefaultFileEqualsBuiltInDefaults() throws Exception {
    Path documented = Path.of("../conf/tandem.yaml");
    assertThat(loader.load(Optional.of(documented), List.of())).isEqualTo(TandemConfig.defaults());
  }

  @Test
  void documentedDefaultFileMentionsEveryKey() throws Exception {
    String documented = Files.readString(Path.of("../conf/tandem.yaml"));
    List<String> keys = new java.util.ArrayList<>();
    ConfigTree.of(TandemConfig.defaults())
        .fields()
        .forEachRemaining(
            section -> {
              keys.add(section.getKey());
              section.getValue().fieldNames().forEachRemaining(keys::add);
            });
    for (String key : keys) {
      assertThat(documented).as("conf/tandem.yaml documents " + key).contains(key + ":");
    }
  }

  @Test
  void webhooksNeedHttpUrlsASecretAndAnOrderedRetryRange() throws Exception {
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        "events:\n  webhooks:\n    urls: [ftp://x.example/h, 'http://ok.example/h']\n"
                            + "    secret: short\n    retry-min: 2m\n    retry-max: 1m\n")),
                List.of()))
        .containsExactlyInAnyOrder(
            "events.webhooks.urls[0]: must be an http:// or https:// URL, not 'ftp://x.example/h'",
            "events.webhooks.secret: webhooks are signed: give a secret of at least 16 characters",
            "events.webhooks.retry-min: must not exceed retry-max (PT1M)");
    TandemConfig config =
        loader.load(
            Optional.empty(),
            List.of(
                "events.webhooks.urls=[\"http://127.0.0.1:9/hook\"]",
                "events.webhooks.secret=0123456789abcdef",
                "events.records.file=/tmp/calls.jsonl"));
    assertThat(config.events().webhooks().enabled()).isTrue();
    assertThat(config.events().records().file()).contains("/tmp/calls.jsonl");
  }

  @Test
  void theLogFormatIsTextOrJson() throws Exception {
    assertThat(
            new ConfigLoader(Map.of("TANDEM_LOG_FORMAT", "json")).load(Optional.empty(), List.of()))
        .isEqualTo(TandemConfig.defaults());
    assertThat(
            problemsOf(
                new ConfigLoader(Map.of("TANDEM_LOG_FORMAT", "xml")), Optional.empty(), List.of()))
        .containsExactly("TANDEM_LOG_FORMAT: must be text or json, not 'xml'");
  }

  @Test
  void fileValuesOverrideDefaultsKeyByKey() throws Exception {
    TandemConfig config = loader.load(Optional.of(yaml("http:\n  port: 9090\n")), List.of());
    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.sip()).isEqualTo(TandemConfig.defaults().sip());
  }

  @Test
  void theBuiltInDefaultsHaveNoUsers() throws Exception {
    assertThat(loader.load(Optional.empty(), List.of()).auth().users()).isEmpty();
  }

  @Test
  void aMapInAFileReplacesTheDefaultMapWhole() throws Exception {
    Path demo = Path.of("../conf/demo.yaml");
    assertThat(loader.load(Optional.of(demo), List.of()).auth().users())
        .containsOnlyKeys("alice", "bob", "carol");
    TandemConfig empty = loader.load(Optional.of(yaml("auth:\n  users: {}\n")), List.of());
    assertThat(empty.auth().users()).isEmpty();
    assertThat(empty.auth().jwt()).isEqualTo(TandemConfig.defaults().auth().jwt());
  }

  @Test
  void aMapEntryCanStillBeSetByPathOverAFile() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.of(yaml("auth:\n  users:\n    dave: { password: dave-secret-1 }\n")),
            List.of("auth.users.erin.password=erin-secret-1"));
    assertThat(config.auth().users()).containsOnlyKeys("dave", "erin");
  }

  @Test
  void aWildcardListenPointTakesAnAdvertisedAddressAndPort() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.of(
                yaml(
                    "sip:\n  listen:\n    - transport: udp\n      host: 0.0.0.0\n"
                        + "      advertised: 203.0.113.7\n      advertised-port: 5080\n"
                        + "    - transport: tcp\n      host: \"::\"\n")),
            List.of());
    assertThat(config.sip().listen())
        .containsExactly(
            new ListenPoint(
                SipTransport.UDP, "0.0.0.0", 5060, Optional.of("203.0.113.7"), Optional.of(5080)),
            new ListenPoint(SipTransport.TCP, "::", 5060));
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        "sip:\n  listen:\n    - host: 0.0.0.0\n      advertised: \"::\"\n"
                            + "    - host: example\n      port: 5070\n      advertised-port: 5071\n")),
                List.of()))
        .containsExactlyInAnyOrder(
            "sip.listen[0].advertised: must be an address peers can reach, not a wildcard",
            "sip.listen[1].host: must be an IPv4 or IPv6 address (0.0.0.0 or :: for all), not"
                + " example",
            "sip.listen[1].advertised-port: needs advertised (the host written with it)");
  }

  @Test
  void aListInAFileReplacesTheDefaultListAndFillsElementDefaults() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.of(yaml("sip:\n  listen:\n    - transport: tcp\n      port: 5070\n")),
            List.of());
    assertThat(config.sip().listen())
        .containsExactly(new ListenPoint(SipTransport.TCP, "127.0.0.1", 5070));
  }

  @Test
  void reportsEveryProblemWithItsPath() throws Exception {
    Path file =
        yaml(
            """
            http:
              port: 70000
              idle-timeout: soon
            sip:
              listen:
                - transport: udp
                  port: 5060
                - transport: sctp
                  port: 0
              threads: many
              colour: blue
            """);
    assertThat(problemsOf(loader, Optional.of(file), List.of()))
        .containsExactlyInAnyOrder(
            "http.port: must be 1..65535, not 70000",
            "http.idle-timeout: must be a duration such as 500ms, 30s, 5m or 1h, not 'soon'",
            "sip.listen[1].transport: must be one of udp, tcp, tls, not 'sctp'",
            "sip.listen[1].port: must be 1..65535, not 0",
            "sip.threads: must be a whole number, not 'many'",
            "sip.colour: unknown key (expected one of: listen, user-agent, max-message-size, threads,"
                + " session-expires, min-session-expires, tls, tcp)");
  }

  @Test
  void unknownSectionIsAnError() throws Exception {
    assertThat(problemsOf(loader, Optional.of(yaml("htp:\n  port: 1\n")), List.of()))
        .containsExactly(
            "htp: unknown key (expected one of: http, ws, auth, ice, sessions, calls, sip, routing, registrar, upstream, media, shutdown, node, admin, metrics, events)");
  }

  @Test
  void theMetricsListenerIsOffByDefaultAndItsPathAndPortAreChecked() throws Exception {
    assertThat(loader.load(Optional.empty(), List.of()).metrics())
        .isEqualTo(new MetricsSettings(false, "127.0.0.1", 9464, "/metrics"));
    Path file =
        yaml(
            """
            http: {port: 8080}
            metrics: {enabled: true, port: 8080, path: "metrics"}
            """);
    assertThat(problemsOf(loader, Optional.of(file), List.of()))
        .containsExactly(
            "metrics.path: must start with / and be at most 200 characters without spaces");
    Path samePort = yaml("metrics: {enabled: true, host: 0.0.0.0, port: 8080}\n");
    assertThat(problemsOf(loader, Optional.of(samePort), List.of()))
        .containsExactly(
            "metrics.port: is http.port too: the metrics listener needs a port of its own");
    Path fine = yaml("metrics: {enabled: true, host: 0.0.0.0, port: 9100, path: /m}\n");
    assertThat(loader.load(Optional.of(fine), List.of()).metrics())
        .isEqualTo(new MetricsSettings(true, "0.0.0.0", 9100, "/m"));
  }

  @Test
  void sectionRulesSpanningKeysAreChecked() throws Exception {
    Path file =
        yaml(
            """
            sip:
              listen:
                - {transport: udp, port: 5060}
                - {transport: udp, port: 5060}
            """);
    assertThat(problemsOf(loader, Optional.of(file), List.of()))
        .containsExactly("sip.listen[1]: duplicates an earlier listen point (udp 127.0.0.1:5060)");
  }

  @Test
  void wrongShapesAreErrors() throws Exception {
    assertThat(
            problemsOf(loader, Optional.of(yaml("http: 8080\nsip:\n  listen: udp\n")), List.of()))
        .containsExactlyInAnyOrder("http: must be a section of keys", "sip.listen: must be a list");
  }

  @Test
  void malformedYamlNamesTheLine() throws Exception {
    Path file = yaml("http:\n  port: 8080\n   host: [\n");
    assertThat(problemsOf(loader, Optional.of(file), List.of()))
        .singleElement()
        .asString()
        .startsWith(file + ": malformed YAML: line 3");
  }

  @Test
  void duplicateKeysAreErrors() throws Exception {
    Path file = yaml("http:\n  port: 8080\n  port: 8081\n");
    assertThat(problemsOf(loader, Optional.of(file), List.of()))
        .singleElement()
        .asString()
        .contains("malformed YAML")
        .contains("Duplicate field 'port'");
  }

  @Test
  void missingFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");
    assertThat(problemsOf(loader, Optional.of(missing), List.of()))
        .containsExactly(missing + ": no such file");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws Exception {
    ConfigLoader withEnv =
        new ConfigLoader(
            Map.of(
                "TANDEM_HTTP_PORT", "8181",
                "TANDEM_SIP_LISTEN_0_PORT", "5072",
                "TANDEM_SIP_MAX_MESSAGE_SIZE", "131072",
                "TANDEM_SHUTDOWN_GRACE_PERIOD", "2s",
                "TANDEM_OPTS", "-Xmx1g",
                "PATH", "/usr/bin"));
    TandemConfig config = withEnv.load(Optional.of(yaml("http:\n  port: 9090\n")), List.of());
    assertThat(config.http().port()).isEqualTo(8181);
    assertThat(config.sip().listen().get(0).port()).isEqualTo(5072);
    assertThat(config.sip().listen().get(1).port()).isEqualTo(5060);
    assertThat(config.sip().maxMessageSize()).isEqualTo(131072);
    assertThat(config.shutdown().gracePeriod()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theEmbeddedRelaysDtlsThreadsAndQueueAreBoundedAndChecked() throws Exception {
    MediaSettings.EmbeddedSettings defaults = TandemConfig.defaults().media().embedded();
    assertThat(defaults.dtlsThreads()).as("0: two per core").isZero();
    assertThat(defaults.dtlsQueue()).isEqualTo(64);
    TandemConfig config =
        new ConfigLoader(Map.of("TANDEM_MEDIA_EMBEDDED_DTLS_QUEUE", "8"))
            .load(Optional.of(yaml("media:\n  embedded:\n    dtls-threads: 4\n")), List.of());
    assertThat(config.media().embedded().dtlsThreads()).isEqualTo(4);
    assertThat(config.media().embedded().dtlsQueue()).isEqualTo(8);
    assertThat(
            problemsOf(
                loader,
                Optional.empty(),
                List.of("media.embedded.dtls-threads=-1", "media.embedded.dtls-queue=0")))
        .containsExactlyInAnyOrder(
            "media.embedded.dtls-threads: must be 0..256, not -1",
            "media.embedded.dtls-queue: must be 1..100000, not 0");
  }

  @Test
  void theEmbeddedRelaysReceiveBufferIsBytesWithABound() throws Exception {
    assertThat(TandemConfig.defaults().media().embedded().receiveBuffer()).isEqualTo(1 << 20);
    TandemConfig config =
        loader.load(Optional.of(yaml("media:\n  embedded:\n    receive-buffer: 0\n")), List.of());
    assertThat(config.media().embedded().receiveBuffer()).as("the system's default").isZero();
    assertThat(problemsOf(loader, Optional.empty(), List.of("media.embedded.receive-buffer=-1")))
        .containsExactly("media.embedded.receive-buffer: must be 0..67108864, not -1");
  }

  @Test
  void rtpengineIsOneHostPortOrAPoolOfWeightedInstances() throws Exception {
    assertThat(TandemConfig.defaults().media().rtpengine().endpoints())
        .containsExactly(new dev.tandem.media.rtpengine.NgEndpoint("127.0.0.1", 2223, 1));
    TandemConfig config =
        loader.load(
            Optional.of(
                yaml(
                    "media:\n  rtpengine:\n    instances:\n"
                        + "      - { host: 10.0.0.21, port: 2223, weight: 2 }\n"
                        + "      - { host: 10.0.0.22 }\n"
                        + "    ping-interval: 500ms\n")),
            List.of());
    assertThat(config.media().rtpengine().endpoints())
        .containsExactly(
            new dev.tandem.media.rtpengine.NgEndpoint("10.0.0.21", 2223, 2),
            new dev.tandem.media.rtpengine.NgEndpoint("10.0.0.22", 2223, 1));
    assertThat(config.media().rtpengine().pingInterval()).hasMillis(500);
    assertThat(config.media().rtpengine().deleteDelay()).isZero();
    assertThat(config.media().rtpengine().keyframeWait()).hasSeconds(10);
    assertThat(
            loader
                .load(Optional.empty(), List.of("media.rtpengine.keyframe-wait=0s"))
                .media()
                .rtpengine()
                .keyframeWait())
        .isZero();
    assertThat(problemsOf(loader, Optional.empty(), List.of("media.rtpengine.keyframe-wait=2m")))
        .singleElement()
        .asString()
        .startsWith("media.rtpengine.keyframe-wait: ");
  }

  @Test
  void aBadRtpenginePoolIsRefusedWithThePathOfEachMistake() throws Exception {
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        "media:\n  rtpengine:\n    instances:\n"
                            + "      - { host: 10.0.0.21, weight: 0 }\n")),
                List.of()))
        .containsExactly("media.rtpengine.instances[0].weight: must be 1..1000, not 0");
    // the section's own rules, once each key on its own is valid
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        "media:\n  rtpengine:\n    instances:\n"
                            + "      - { host: 10.0.0.22 }\n"
                            + "      - { host: 10.0.0.22, port: 2223 }\n"
                            + "    delete-delay: 1500ms\n")),
                List.of()))
        .containsExactlyInAnyOrder(
            "media.rtpengine.instances[1]: 10.0.0.22:2223 is listed twice",
            "media.rtpengine.delete-delay: must be whole seconds (rtpengine takes seconds)");
    assertThat(
            problemsOf(
                loader, Optional.of(yaml("media:\n  rtpengine:\n    instances: []\n")), List.of()))
        .containsExactly(
            "media.rtpengine.instances: needs at least one rtpengine (or leave it out and use"
                + " host/port)");
  }

  @Test
  void theEmbeddedRelayMayHaveAnIpv6AddressBesideItsIpv4One() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.of(
                yaml(
                    "media:\n  embedded:\n    bind: \"::\"\n    advertised: 203.0.113.5\n"
                        + "    advertised-v6: \"2001:db8::5\"\n")),
            List.of());
    assertThat(config.media().embedded().addresses().all())
        .containsExactly("203.0.113.5", "2001:db8::5");
    assertThat(TandemConfig.defaults().media().embedded().advertisedV6()).isEmpty();
    assertThat(
            loader
                .load(Optional.empty(), List.of("media.rtpengine.sip-address-family=ip6"))
                .media()
                .rtpengine()
                .sipAddressFamily())
        .isEqualTo(dev.tandem.media.rtpengine.SipAddressFamily.IP6);
    assertThat(
            problemsOf(
                loader,
                Optional.empty(),
                List.of("media.embedded.bind=::", "media.embedded.advertised-v6=10.0.0.5")))
        .containsExactly("media.embedded.advertised-v6: must be an IPv6 address, not '10.0.0.5'");
    assertThat(
            problemsOf(
                loader,
                Optional.empty(),
                List.of(
                    "media.embedded.bind=::",
                    "media.embedded.advertised=::1",
                    "media.embedded.advertised-v6=2001:db8::5")))
        .singleElement()
        .asString()
        .startsWith("media.embedded.advertised-v6: the relay's two addresses must be one IPv4")
        .endsWith("(advertised-v6 is for a relay whose advertised address is IPv4)");
    assertThat(
            problemsOf(
                loader, Optional.empty(), List.of("media.embedded.advertised-v6=2001:db8::5")))
        .containsExactly(
            "media.embedded.bind: the relay announces 2001:db8::5 (IPv6), but its sockets bound to"
                + " 127.0.0.1 carry only IPv4: bind to :: or 0.0.0.0 (both families) or to an"
                + " address of that family");
  }

  @Test
  void unknownEnvironmentVariableWithThePrefixIsAnError() {
    ConfigLoader withEnv =
        new ConfigLoader(Map.of("TANDEM_HTTP_PROT", "1", "TANDEM_SIP_LISTEN_X_PORT", "1"));
    assertThat(problemsOf(withEnv, Optional.empty(), List.of()))
        .containsExactlyInAnyOrder(
            "TANDEM_HTTP_PROT: names no configuration key",
            "TANDEM_SIP_LISTEN_X_PORT: names no configuration key");
  }

  @Test
  void setOverridesEnvironment() throws Exception {
    ConfigLoader withEnv = new ConfigLoader(Map.of("TANDEM_HTTP_PORT", "8181"));
    TandemConfig config =
        withEnv.load(
            Optional.empty(),
            List.of("http.port=8282", "sip.listen[1].port=5099", "sip.listen.0.host=0.0.0.0"));
    assertThat(config.http().port()).isEqualTo(8282);
    assertThat(config.sip().listen().get(1).port()).isEqualTo(5099);
    assertThat(config.sip().listen().get(0).host()).isEqualTo("0.0.0.0");
  }

  @Test
  void setCanAppendAListElementWithDefaults() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.empty(), List.of("sip.listen[2].port=5062", "sip.listen[2].transport=tcp"));
    assertThat(config.sip().listen())
        .hasSize(3)
        .last()
        .isEqualTo(new ListenPoint(SipTransport.TCP, "127.0.0.1", 5062));
  }

  @Test
  void setAcceptsAWholeListInFlowStyle() throws Exception {
    TandemConfig config =
        loader.load(Optional.empty(), List.of("sip.listen=[{transport: tcp, port: 5070}]"));
    assertThat(config.sip().listen())
        .containsExactly(new ListenPoint(SipTransport.TCP, "127.0.0.1", 5070));
  }

  @Test
  void badSetArgumentsAreErrors() {
    assertThat(
            problemsOf(
                loader,
                Optional.empty(),
                List.of("http.port", "sip.listen[9].port=1", "http.port=x")))
        .containsExactlyInAnyOrder(
            "--set http.port: must be key=value, e.g. sip.listen[0].port=5070",
            "--set sip.listen[9].port=1: sip.listen[9].port: index 9 skips elements (the list has 2)",
            "http.port: must be a whole number, not 'x'");
  }

  @Test
  void emptyFileMeansDefaults() throws Exception {
    assertThat(loader.load(Optional.of(yaml("# nothing\n")), List.of()))
        .isEqualTo(TandemConfig.defaults());
  }

  @Test
  void topLevelMustBeAMapping() throws Exception {
    Path file = yaml("- a\n- b\n");
    assertThatThrownBy(() -> loader.load(Optional.of(file), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be a YAML mapping");
  }

  @Test
  void registrarAccountsAreReadAndCheckedTogether() throws Exception {
    TandemConfig ok =
        loader.load(
            Optional.of(
                yaml(
                    """
                    registrar:
                      accounts:
                        "1001": { password: pw, digest-algorithms: [md5] }
                        desk: { ha1-sha256: %s, extension: "2001" }
                    """
                        .formatted("ab".repeat(32)))),
            List.of());
    assertThat(ok.registrar().enabled()).isTrue();
    assertThat(ok.registrar().accounts().get("1001").digestAlgorithms())
        .contains(List.of(dev.tandem.sip.registrar.DigestAlgorithm.MD5));
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        registrar:
                          accounts:
                            a: { password: x, ha1-md5: "0123" }
                            c: { extension: "12" }
                        """)),
                List.of()))
        .containsExactlyInAnyOrder(
            "registrar.accounts.a.password: give a password or HA1 hashes, not both",
            "registrar.accounts.a.ha1-md5: must be 32 lower-case hex digits",
            "registrar.accounts.c.password: an account needs a password, ha1-md5 or ha1-sha256");
    // the section's own rules, once every account is well formed
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        registrar:
                          digest-algorithms: [md5]
                          min-expires: 2h
                          default-expires: 3h
                          accounts:
                            b: { ha1-sha256: %s, extension: "12" }
                            d: { password: x, extension: "12" }
                            "no way": { password: x }
                        """
                            .formatted("ab".repeat(32)))),
                List.of()))
        .contains(
            "registrar.min-expires: longer than max-expires",
            "registrar.accounts.b: has no HA1 for the digest algorithms [MD5]",
            "registrar.accounts.no way: not a SIP user name ([A-Za-z0-9._+-], 1..64)");
  }

  /** The demo's development users (conf/demo.yaml), which the built-in defaults do not have. */
  static final List<String> DEMO_USERS =
      List.of(
          "auth.users.alice.password=alice-dev",
          "auth.users.bob.password=bob-dev",
          "auth.users.carol.password=carol-dev");

  /** docs/sip.md's carrier trunk: DIDs to users and a ring group, the carrier's own addresses. */
  static final String CARRIER_WITH_DIDS =
      """
      routing:
        destinations:
          carrier:
            host: 127.0.0.1
            port: 5080
            username: "4420794600"
            password: trunk-secret
            sources: [127.0.0.1, 198.51.100.0/24, "2001:db8:5::/48"]
        dial-plan:
          - { name: e164, pattern: '\\+?[1-9][0-9]{6,14}', destination: carrier }
        permissions:
          everyone: [e164]
        inbound:
          country-code: "1"
          international-prefix: "011"
          national-prefix: ""
          numbers:
            "+1 (555) 123-4567": alice
            "+1555000XXXX": sales
          ring-groups:
            sales: [alice, bob]
          fallback: carol
      """;

  /** docs/sip.md's "identify by source address": a PBX trusted by its subnet, no credentials. */
  static final String PBX_BY_SOURCE =
      """
      routing:
        destinations:
          pbx:
            host: 127.0.0.1
            port: 5090
            sources: [127.0.0.0/29, "::1"]
        dial-plan:
          - { name: extensions, pattern: "[0-9]{3,4}", destination: pbx }
        permissions:
          everyone: [extensions]
      """;

  @Test
  void theInboundTableAndTrustedSourcesAreReadAndChecked() throws Exception {
    TandemConfig carrier = loader.load(Optional.of(yaml(CARRIER_WITH_DIDS)), DEMO_USERS);
    var table = carrier.routing().inbound().toTable();
    assertThat(table.route("sip:15551234567@bridge.example"))
        .contains(new dev.tandem.core.inbound.InboundTarget.User("alice"));
    assertThat(table.route("5550001234"))
        .contains(
            new dev.tandem.core.inbound.InboundTarget.Group("sales", List.of("alice", "bob")));
    assertThat(table.route("5559999999"))
        .contains(new dev.tandem.core.inbound.InboundTarget.User("carol"));
    var sources = carrier.routing().trustedSources();
    assertThat(sources.destinationOf(java.net.InetAddress.getByName("198.51.100.7")))
        .contains("carrier");
    assertThat(sources.destinationOf(java.net.InetAddress.getByName("2001:db8:5::1")))
        .contains("carrier");
    assertThat(sources.destinationOf(java.net.InetAddress.getByName("203.0.113.1"))).isEmpty();
    TandemConfig pbx = loader.load(Optional.of(yaml(PBX_BY_SOURCE)), List.of());
    assertThat(
            pbx.routing()
                .trustedSources()
                .destinationOf(java.net.InetAddress.getByName("127.0.0.5")))
        .contains("pbx");
    assertThat(pbx.routing().inbound().allowAnySource()).isFalse();
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          destinations:
                            trunk: { host: 127.0.0.1, sources: [10.0.0.1/8, pbx.example] }
                          inbound:
                            country-code: "+1"
                        """)),
                List.of()))
        .containsExactlyInAnyOrder(
            "routing.destinations.trunk.sources[0]: '10.0.0.1/8' has bits set beyond /8 (write"
                + " the network address)",
            "routing.destinations.trunk.sources[1]: 'pbx.example' is not an IPv4 or IPv6 address",
            "routing.inbound.country-code: a country code is 1 to 3 digits, not +1");
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          inbound:
                            numbers:
                              "+15551234567": alice
                              "15551234567": bob
                              "+1555CALLNOW": alice
                              "+1555X1*": alice
                              "+15551X*": bob
                            ring-groups:
                              empty: []
                        """)),
                List.of()))
        .containsExactlyInAnyOrder(
            "routing.inbound.numbers.+1555CALLNOW: '+1555CALLNOW' is not a number or pattern"
                + " (digits, optionally +, X for one digit, a final * for the rest)",
            "routing.inbound.numbers.15551234567: overlaps +15551234567 (as +15551234567 and"
                + " +15551234567, equally specific: neither would win)",
            "routing.inbound.numbers.+1555X1*: overlaps +15551X* (as +1555X1* and +15551X*,"
                + " equally specific: neither would win)",
            "routing.inbound.ring-groups.empty: needs at least one user");
    // users, once the section is well formed (auth.jwt is off: users are auth.users)
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          inbound:
                            numbers:
                              "+1555000": nobody
                            ring-groups:
                              sales: [alice, mallory]
                        """)),
                DEMO_USERS))
        .containsExactlyInAnyOrder(
            "routing.inbound.ring-groups.sales: no user mallory (auth.users, upstream.accounts:"
                + " [alice, bob, carol])",
            "routing.inbound.numbers.+1555000: no user or ring group nobody (users: [alice, bob,"
                + " carol])");
  }

  @Test
  void tcpConnectionCapIsReadAndChecked() throws Exception {
    TandemConfig config =
        loader.load(
            Optional.of(
                yaml(
                    """
                    sip:
                      tcp:
                        max-connections: 50
                    """)),
            List.of());
    assertThat(config.sip().tcp()).isEqualTo(new dev.tandem.sip.TcpSettings(50));
    assertThat(TandemConfig.defaults().sip().tcp())
        .isEqualTo(dev.tandem.sip.TcpSettings.defaults());
    assertThat(problemsOf(loader, Optional.empty(), List.of("sip.tcp.max-connections=0")))
        .containsExactly("sip.tcp.max-connections: must be 1..100000, not 0");
  }

  @Test
  void aTlsListenPointNeedsACertificateAndKey() throws Exception {
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        sip:
                          listen:
                            - { transport: tls, host: 127.0.0.1, port: 5061 }
                        """)),
                List.of()))
        .containsExactly("sip.tls: a tls listen point needs tls.certificate and tls.private-key");
  }

  @Test
  void mediaEncryptionIsReadPerDestinationAndPhoneAndAnUnknownOneNamesItsPath() throws Exception {
    TandemConfig ok =
        loader.load(
            Optional.of(
                yaml(
                    """
                    routing:
                      destinations:
                        trunk: { host: 127.0.0.1, port: 5061, transport: tls, media-encryption: sdes-required }
                        pbx: { host: 127.0.0.1, port: 5060 }
                    registrar:
                      media-encryption: sdes-preferred
                      accounts:
                        "1001": { password: pw, media-encryption: plain }
                        desk: { password: pw }
                    """)),
            List.of());
    assertThat(ok.routing().mediaEncryptionByName())
        .containsEntry("trunk", dev.tandem.sdp.translate.MediaEncryption.SDES_REQUIRED)
        .containsEntry("pbx", dev.tandem.sdp.translate.MediaEncryption.PLAIN);
    assertThat(ok.registrar().mediaEncryption())
        .isEqualTo(dev.tandem.sdp.translate.MediaEncryption.SDES_PREFERRED);
    assertThat(ok.registrar().mediaEncryptionByAccount())
        .containsExactly(Map.entry("1001", dev.tandem.sdp.translate.MediaEncryption.PLAIN));
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          destinations:
                            trunk: { host: 127.0.0.1, port: 5061, media-encryption: srtp }
                        """)),
                List.of()))
        .singleElement()
        .asString()
        .startsWith("routing.destinations.trunk.media-encryption: ")
        .contains("sdes-required");
  }

  @Test
  void videoIsOnByDefaultAndSwitchedOffPerDestinationPhoneOrAccount() throws Exception {
    TandemConfig defaults =
        loader.load(
            Optional.of(
                yaml(
                    """
                    routing:
                      destinations:
                        pbx: { host: 127.0.0.1, port: 5060 }
                    """)),
            List.of());
    assertThat(defaults.routing().audioOnly()).isEmpty();
    assertThat(defaults.registrar().video()).isTrue();
    TandemConfig ok =
        loader.load(
            Optional.of(
                yaml(
                    """
                    routing:
                      destinations:
                        trunk: { host: 127.0.0.1, port: 5061, video: false }
                        pbx: { host: 127.0.0.1, port: 5060, video: true }
                    registrar:
                      video: false
                      accounts:
                        "1001": { password: pw, video: true }
                        desk: { password: pw }
                    """)),
            List.of());
    assertThat(ok.routing().audioOnly()).containsExactly("trunk");
    assertThat(ok.registrar().video()).isFalse();
    assertThat(ok.registrar().videoByAccount()).containsExactly(Map.entry("1001", true));
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          destinations:
                            trunk: { host: 127.0.0.1, port: 5061, video: maybe }
                        """)),
                List.of()))
        .singleElement()
        .asString()
        .startsWith("routing.destinations.trunk.video: ");
    assertThat(
            problemsOf(
                loader,
                Optional.of(
                    yaml(
                        """
                        routing:
                          destinations:
                            node-b: { host: 127.0.0.1, port: 5062, webrtc: true, video: false }
                        """)),
                List.of()))
        .singleElement()
        .asString()
        .startsWith("routing.destinations.node-b.video: ")
        .contains("webrtc");
  }
}

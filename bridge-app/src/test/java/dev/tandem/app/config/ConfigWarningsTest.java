package dev.tandem.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWarningsTest {
  @TempDir Path dir;

  private List<String> warningsOf(String yaml) throws Exception {
    Path file = dir.resolve("tandem.yaml");
    Files.writeString(file, yaml);
    TandemConfig config = new ConfigLoader(Map.of()).load(Optional.of(file), List.of());
    return ConfigWarnings.of(config).stream()
        .map(w -> (w.refused() ? "refused " : "") + w)
        .toList();
  }

  @Test
  void theBuiltInDefaultsHaveNoWarnings() {
    assertThat(ConfigWarnings.of(TandemConfig.defaults())).isEmpty();
  }

  @Test
  void developmentUsersOnLoopbackAreAWarning() throws Exception {
    assertThat(warningsOf("auth: {users: {alice: {password: alice-dev}}}"))
        .containsExactly(
            "auth.users: development users (alice): for development only; use auth.jwt in"
                + " production");
  }

  @Test
  void developmentUsersWithHttpOnANonLoopbackAddressAreRefused() throws Exception {
    assertThat(
            warningsOf(
                """
                http: {host: 0.0.0.0}
                auth: {users: {alice: {password: alice-dev}, bob: {password: bob-dev-1}}}
                """))
        .containsExactly(
            "refused auth.users: development users (alice, bob) with HTTP on 0.0.0.0, not a"
                + " loopback address: anyone who reaches the port can sign in with their"
                + " passwords; use auth.jwt, or http.host: 127.0.0.1");
  }

  @Test
  void sipOnEveryInterfaceWithDevelopmentUsersIsAWarning() throws Exception {
    assertThat(
            warningsOf(
                """
                auth: {users: {alice: {password: alice-dev}}}
                sip: {listen: [{transport: udp, host: 0.0.0.0, port: 5060}]}
                """))
        .contains(
            "sip.listen[0].host: SIP on 0.0.0.0 while development users are configured: the"
                + " bridge is reachable from the network and its users have well-known passwords");
    assertThat(warningsOf("sip: {listen: [{transport: udp, host: 0.0.0.0, port: 5060}]}"))
        .isEmpty();
  }

  @Test
  void shortPasswordsAndPasswordsEqualToTheNameAreWarnings() throws Exception {
    assertThat(
            warningsOf(
                """
                auth: {users: {alice: {password: a}, bob: {password: Bob}}}
                registrar:
                  accounts:
                    "1001": {password: "1001"}
                    "1002": {password: long-enough-secret}
                """))
        .contains(
            "auth.users.alice.password: a password of 1 characters is guessable; use at least 8",
            "auth.users.bob.password: the password is the user name",
            "registrar.accounts.1001.password: the password is the user name")
        .noneMatch(w -> w.startsWith("registrar.accounts.1002"));
  }

  @Test
  void anHs256SecretOfFewDistinctBytesIsAWarning() throws Exception {
    assertThat(warningsOf("auth: {jwt: {hs256-secret: " + "a".repeat(32) + "}}"))
        .containsExactly(
            "auth.jwt.hs256-secret: only 1 distinct bytes: not a random secret, tokens can be"
                + " forged; use 32 random bytes, e.g. openssl rand -base64 32");
    assertThat(warningsOf("auth: {jwt: {hs256-secret: Qm9vdHN0cmFwLXJhbmRvbS1zZWNyZXQtMzI}}"))
        .isEmpty();
  }

  @Test
  void anyOriginIsAWarning() throws Exception {
    assertThat(warningsOf("ws: {allowed-origins: ['https://app.example.com', '*']}"))
        .containsExactly(
            "ws.allowed-origins[1]: * lets any web page open the WebSocket from its visitors'"
                + " browsers; list your app's origins (https://app.example.com)");
  }

  @Test
  void aCatchAllRuleThatEveryoneMayUseIsAWarning() throws Exception {
    String plan =
        """
        routing:
          destinations: {trunk: {host: 127.0.0.1, port: 5080}}
          dial-plan:
            - {name: us, pattern: '\\+1[0-9]{10}', destination: trunk}
            - {name: anything, pattern: '.+', destination: trunk}
            - {name: all, pattern: '.*', destination: trunk}
          permissions:
            everyone: [us, %s]
        """;
    assertThat(warningsOf(plan.formatted("anything")))
        .containsExactly(
            "routing.dial-plan[1].pattern: '.+' matches anything dialled and everyone may use"
                + " rule anything: every user can call any number through trunk (toll fraud);"
                + " match the numbers you mean, e.g. '\\+?1[0-9]{10}'");
    assertThat(warningsOf(plan.formatted("all"))).singleElement().asString().contains("'.*'");
    assertThat(warningsOf(plan.formatted("us"))).isEmpty();
  }

  @Test
  void loopbackIsReadFromLiteralsAndLocalhostOnly() {
    assertThat(ConfigWarnings.isLoopback("127.0.0.1")).isTrue();
    assertThat(ConfigWarnings.isLoopback("127.0.0.5")).isTrue();
    assertThat(ConfigWarnings.isLoopback("::1")).isTrue();
    assertThat(ConfigWarnings.isLoopback("localhost")).isTrue();
    assertThat(ConfigWarnings.isLoopback("0.0.0.0")).isFalse();
    assertThat(ConfigWarnings.isLoopback("::")).isFalse();
    assertThat(ConfigWarnings.isLoopback("192.0.2.1")).isFalse();
    assertThat(ConfigWarnings.isLoopback("bridge.example.com")).isFalse();
  }

  @Test
  void aShortAdminTokenAndAnAdminListenerOffLoopbackAreWarnings() throws Exception {
    assertThat(warningsOf("admin: {enabled: true, host: 0.0.0.0, token: short-token}"))
        .containsExactly(
            "admin.token: 11 characters: whoever guesses it can end calls and drain the bridge;"
                + " use 32+ random characters (openssl rand -hex 32)",
            "admin.host: 0.0.0.0 is not a loopback address: the admin API is reachable from other"
                + " hosts; keep it on 127.0.0.1 or a management network behind a firewall");
    assertThat(warningsOf("admin: {enabled: true, token: " + "x".repeat(32) + "}")).isEmpty();
    assertThat(warningsOf("admin: {enabled: false, host: 0.0.0.0}")).isEmpty();
  }

  @Test
  void anEnabledAdminApiWithoutATokenIsAnError() throws Exception {
    Path file = dir.resolve("tandem.yaml");
    Files.writeString(file, "admin: {enabled: true}");
    try {
      new ConfigLoader(Map.of()).load(Optional.of(file), List.of());
      throw new AssertionError("expected the configuration to be refused");
    } catch (ConfigException e) {
      assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("admin.token");
    }
  }
}

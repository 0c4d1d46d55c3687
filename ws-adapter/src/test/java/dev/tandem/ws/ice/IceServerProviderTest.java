package dev.tandem.ws.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.credentials.EphemeralCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IceServerProviderTest {
  private final Clock clock =
      Clock.fixed(Instant.ofEpochSecond(1_700_000_000L - 3600), ZoneOffset.UTC);

  @Test
  void turnRestPasswordMatchesOpensslsHmac() {
    // printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac s3cret -binary | base64
    assertThat(
            EphemeralCredentials.password(
                EphemeralCredentials.Algorithm.SHA1, "s3cret", "1700000000:alice"))
        .isEqualTo("TtElzSjT0GdnTQ9xdcRNxx96yQs=");
  }

  @Test
  void givesEachUserCredentialsThatExpireAfterTheTtl() {
    IceSettings settings =
        new IceSettings(
            List.of(
                new IceServerSettings(List.of("stun:127.0.0.1:3478"), "", "", ""),
                new IceServerSettings(List.of("turn:127.0.0.1:3478"), "", "", "s3cret"),
                new IceServerSettings(List.of("turns:turn.example:5349"), "static", "pw", "")),
            Duration.ofHours(1));
    IceServers servers = new IceServerProvider(settings, clock).forUser("alice");
    assertThat(servers.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(servers.servers())
        .containsExactly(
            new IceServer(List.of("stun:127.0.0.1:3478"), Optional.empty(), Optional.empty()),
            new IceServer(
                List.of("turn:127.0.0.1:3478"),
                Optional.of("1700000000:alice"),
                Optional.of("TtElzSjT0GdnTQ9xdcRNxx96yQs=")),
            new IceServer(
                List.of("turns:turn.example:5349"), Optional.of("static"), Optional.of("pw")));
  }

  @Test
  void reportsInconsistentServerEntries() {
    List<String> problems = new ArrayList<>();
    new IceServerSettings(List.of("turn:x", "http://nope"), "u", "", "secret")
        .check((path, message) -> problems.add(path + ": " + message));
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "urls[1]: must be a stun:, turn: or turns: URI, not 'http://nope'",
            "shared-secret: use either shared-secret or username and credential, not both",
            "credential: username and credential go together");
    problems.clear();
    new IceServerSettings(List.of("turn:x"), "", "", "")
        .check((path, message) -> problems.add(path + ": " + message));
    assertThat(problems)
        .containsExactly(": a TURN server needs shared-secret or username and credential");
  }
}

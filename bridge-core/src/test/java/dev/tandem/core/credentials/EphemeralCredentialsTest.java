package dev.tandem.core.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.credentials.EphemeralCredentials.Algorithm;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EphemeralCredentialsTest {
  @Test
  void userNameIsTheExpiryThenTheUser() {
    EphemeralCredentials.Pair pair =
        EphemeralCredentials.of(
            Algorithm.SHA1, "s3cret", "alice", Instant.ofEpochSecond(1_700_000_000L));
    assertThat(pair.username()).isEqualTo("1700000000:alice");
    // printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac s3cret -binary | base64
    assertThat(pair.password()).isEqualTo("TtElzSjT0GdnTQ9xdcRNxx96yQs=");
  }

  @Test
  void sha256MatchesOpenssl() {
    // printf '%s' '1700000000:alice' | openssl dgst -sha256 -hmac s3cret -binary | base64
    assertThat(EphemeralCredentials.password(Algorithm.SHA256, "s3cret", "1700000000:alice"))
        .isEqualTo("/ZoF3CCGHLh8i931encJBdO/7McRjBispJKVGeoYOas=");
  }

  @Test
  void passwordsNeverShowInText() {
    assertThat(new EphemeralCredentials.Pair("1:a", "secret-password").toString())
        .doesNotContain("secret-password");
  }
}

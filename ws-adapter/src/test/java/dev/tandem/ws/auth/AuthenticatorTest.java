package dev.tandem.ws.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final KeyPair ed25519 = keyPair();

  private static KeyPair keyPair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String pem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(ed25519.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private Authenticator authenticator(String issuer) {
    return new Authenticator(
        new AuthSettings(
            new JwtSettings(SECRET, pem(), issuer, "", Duration.ofSeconds(30)),
            Map.of("alice", new StaticUser("alice-dev"))),
        clock);
  }

  private String hs256(String sub, Instant exp) {
    var builder = Jwts.builder().subject(sub).issuedAt(Date.from(NOW.minusSeconds(60)));
    if (exp != null) {
      builder.expiration(Date.from(exp));
    }
    return builder
        .signWith(
            new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
            Jwts.SIG.HS256)
        .compact();
  }

  @Test
  void aTokenIssuedInTheFutureBeyondTheClockSkewIsRefused() {
    Authenticator auth = authenticator("");
    var key = new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    String future =
        Jwts.builder()
            .subject("bob")
            .issuedAt(Date.from(NOW.plusSeconds(3600)))
            .expiration(Date.from(NOW.plusSeconds(7200)))
            .signWith(key, Jwts.SIG.HS256)
            .compact();
    assertThat(refusal(auth.authenticate(new Credentials.Token(future))))
        .isEqualTo("token issued in the future (iat)");
    String withinSkew =
        Jwts.builder()
            .subject("bob")
            .issuedAt(Date.from(NOW.plusSeconds(20)))
            .expiration(Date.from(NOW.plusSeconds(7200)))
            .signWith(key, Jwts.SIG.HS256)
            .compact();
    assertThat(auth.authenticate(new Credentials.Token(withinSkew)))
        .isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void wrongPasswordsAreThrottledAndThenEvenTheRightOneWaits() {
    Authenticator auth = authenticator("");
    for (int i = 0; i < 5; i++) {
      assertThat(
              refusal(
                  auth.authenticate(new Credentials.Password("alice", "guess" + i), "192.0.2.1")))
          .isEqualTo("unknown user or wrong password");
    }
    assertThat(auth.authenticate(new Credentials.Password("alice", "guess5"), "192.0.2.1"))
        .isInstanceOf(AuthResult.Refused.class);
    AuthResult right =
        auth.authenticate(new Credentials.Password("alice", "alice-dev"), "192.0.2.1");
    assertThat(right).isInstanceOf(AuthResult.Throttled.class);
    assertThat(((AuthResult.Throttled) right).reason())
        .isEqualTo("too many failed logins: retry in 1 s");
    // tokens are not throttled (a signature cannot be guessed)
    assertThat(auth.authenticate(new Credentials.Token(hs256("alice", NOW.plusSeconds(300)))))
        .isInstanceOf(AuthResult.Authenticated.class);
    assertThat(auth.authenticate(new Credentials.Token("not.a.token")))
        .isInstanceOf(AuthResult.Refused.class);
    assertThat(auth.counters().passwordsRefused()).isEqualTo(6);
    assertThat(auth.counters().throttled()).isEqualTo(1);
    assertThat(auth.counters().tokensRefused()).isEqualTo(1);
  }

  private static String refusal(AuthResult result) {
    assertThat(result).isInstanceOf(AuthResult.Refused.class);
    return ((AuthResult.Refused) result).reason();
  }

  @Test
  void acceptsHs256TokensWithSubAndExp() {
    AuthResult result =
        authenticator("").authenticate(new Credentials.Token(hs256("bob", NOW.plusSeconds(300))));
    assertThat(result)
        .isEqualTo(new AuthResult.Authenticated("bob", Optional.of(NOW.plusSeconds(300))));
  }

  @Test
  void acceptsEd25519Tokens() {
    String token =
        Jwts.builder()
            .subject("carol")
            .expiration(Date.from(NOW.plusSeconds(60)))
            .signWith(ed25519.getPrivate(), Jwts.SIG.EdDSA)
            .compact();
    assertThat(authenticator("").authenticate(new Credentials.Token(token)))
        .isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void refusesExpiredAndUnsignedAndTamperedTokens() {
    Authenticator auth = authenticator("");
    assertThat(
            refusal(auth.authenticate(new Credentials.Token(hs256("bob", NOW.minusSeconds(120))))))
        .isEqualTo("token expired");
    assertThat(refusal(auth.authenticate(new Credentials.Token(hs256("bob", null)))))
        .isEqualTo("missing exp");
    assertThat(
            refusal(
                auth.authenticate(new Credentials.Token(hs256("bad name!", NOW.plusSeconds(60))))))
        .startsWith("sub is not a user name");

    String[] parts = hs256("bob", NOW.plusSeconds(60)).split("\\.");
    String otherPayload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                "{\"sub\":\"admin\",\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8));
    assertThat(
            refusal(
                auth.authenticate(
                    new Credentials.Token(parts[0] + "." + otherPayload + "." + parts[2]))))
        .isEqualTo("bad signature");

    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(refusal(auth.authenticate(new Credentials.Token(none + "." + parts[1] + "."))))
        .contains("unsupported");

    String hs384 =
        Jwts.builder()
            .subject("bob")
            .expiration(Date.from(NOW.plusSeconds(60)))
            .signWith(
                new SecretKeySpec((SECRET + SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA384"),
                Jwts.SIG.HS384)
            .compact();
    assertThat(refusal(auth.authenticate(new Credentials.Token(hs384))))
        .isEqualTo("algorithm HS384 is not accepted");
    assertThat(refusal(auth.authenticate(new Credentials.Token("not.a.token")))).isNotEmpty();
  }

  @Test
  void checksTheIssuerWhenConfigured() {
    assertThat(
            refusal(
                authenticator("https://idp.example")
                    .authenticate(new Credentials.Token(hs256("bob", NOW.plusSeconds(60))))))
        .isEqualTo("wrong iss");
  }

  @Test
  void checksDevelopmentPasswords() {
    Authenticator auth = authenticator("");
    assertThat(auth.authenticate(new Credentials.Password("alice", "alice-dev")))
        .isEqualTo(new AuthResult.Authenticated("alice", Optional.empty()));
    assertThat(refusal(auth.authenticate(new Credentials.Password("alice", "wrong"))))
        .isEqualTo("unknown user or wrong password");
    assertThat(refusal(auth.authenticate(new Credentials.Password("mallory", "x"))))
        .isEqualTo("unknown user or wrong password");
  }

  @Test
  void refusesTokensWhenJwtIsNotConfigured() {
    Authenticator auth = new Authenticator(DevelopmentUsers.settings(), clock);
    assertThat(refusal(auth.authenticate(new Credentials.Token(hs256("bob", NOW.plusSeconds(60))))))
        .isEqualTo("JWT authentication is not configured");
  }

  @Test
  void reportsBadKeysAndShortSecretsAsConfigurationProblems() {
    List<String> problems = new ArrayList<>();
    new JwtSettings("short", "not a key", "", "", Duration.ZERO)
        .check((path, message) -> problems.add(path + ": " + message));
    assertThat(problems)
        .containsExactly(
            "hs256-secret: must be at least 32 bytes (RFC 7518 §3.2)",
            "ed25519-public-key: is not an Ed25519 public key (X.509 SubjectPublicKeyInfo PEM)");
  }

  @Test
  void theNumberAndNameClaimsBecomeTheUsersProfile() {
    String token =
        Jwts.builder()
            .subject("dave")
            .claim("phone_number", "+1 (555) 123-0004")
            .claim("name", "Dave \u0007Jones")
            .expiration(Date.from(NOW.plusSeconds(60)))
            .signWith(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Jwts.SIG.HS256)
            .compact();
    AuthResult result = authenticator("").authenticate(new Credentials.Token(token));
    assertThat(((AuthResult.Authenticated) result).profile())
        .isEqualTo(
            new dev.tandem.core.browser.UserProfile(
                "dave", Optional.of("Dave Jones"), Optional.of("+15551230004")));
  }

  @Test
  void aTokenWhoseNumberIsNoNumberSignsInWithoutOne() {
    String token =
        Jwts.builder()
            .subject("dave")
            .claim("phone_number", "555-CALL-ME")
            .expiration(Date.from(NOW.plusSeconds(60)))
            .signWith(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Jwts.SIG.HS256)
            .compact();
    AuthResult result = authenticator("").authenticate(new Credentials.Token(token));
    assertThat(((AuthResult.Authenticated) result).profile())
        .isEqualTo(dev.tandem.core.browser.UserProfile.of("dave"));
  }

  @Test
  void aDevelopmentUsersNumberAndDisplayNameComeFromTheConfiguration() {
    Authenticator auth =
        new Authenticator(
            new AuthSettings(
                JwtSettings.defaults(),
                Map.of(
                    "erin",
                    new StaticUser("erin-dev", Optional.of("+15551230005"), Optional.of("Erin")))),
            clock);
    assertThat(
            ((AuthResult.Authenticated)
                    auth.authenticate(new Credentials.Password("erin", "erin-dev")))
                .profile())
        .isEqualTo(
            new dev.tandem.core.browser.UserProfile(
                "erin", Optional.of("Erin"), Optional.of("+15551230005")));
  }

  @Test
  void aDevelopmentUsersNumberMustBeANumber() {
    List<String> problems = new ArrayList<>();
    new StaticUser("x", Optional.of("555 1234"), Optional.of("Bad\nName"))
        .check((path, message) -> problems.add(path + ": " + message));
    assertThat(problems)
        .containsExactly(
            "number: must be digits with an optional leading +, not '555 1234'",
            "display-name: must be 1..64 characters without control characters");
  }

  @Test
  void aNumberClaimWrittenAsAJsonNumberIsTheSameNumber() {
    String token =
        Jwts.builder()
            .subject("dave")
            .claim("phone_number", 15551230004L)
            .expiration(Date.from(NOW.plusSeconds(60)))
            .signWith(
                new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                Jwts.SIG.HS256)
            .compact();
    AuthResult result = authenticator("").authenticate(new Credentials.Token(token));
    assertThat(((AuthResult.Authenticated) result).profile().number()).contains("15551230004");
  }
}

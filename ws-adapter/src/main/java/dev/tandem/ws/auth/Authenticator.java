package dev.tandem.ws.auth;

import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.call.Switchboard;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.Locator;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SignatureException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who a browser is. Tokens: HS256 when a secret is configured, EdDSA (Ed25519) when a
 * public key is; every other algorithm, {@code none} included, is refused, as are tokens without
 * {@code sub} or {@code exp}; the configured number and name claims (OpenID Connect's {@code
 * phone_number} and {@code name} by default) become the user's profile (a number that is not one is
 * logged and left out). Development users: password compared in constant time, their profile from
 * the configuration; wrong passwords are throttled per user and per address ({@link
 * LoginThrottle}). A token whose {@code iat} lies in the future beyond the clock skew is refused.
 *
 * <p>Thread-safe.
 */
public final class Authenticator {
  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private volatile Optional<JwtParser> parser;
  private volatile AuthSettings settings;
  private final Clock clock;
  private final LoginThrottle throttle;
  private final LoginCounters counters = new LoginCounters();

  public Authenticator(AuthSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.throttle = new LoginThrottle(settings.throttle(), clock);
    this.parser =
        settings.jwt().enabled() ? Optional.of(parser(settings.jwt(), clock)) : Optional.empty();
  }

  /**
   * New users and token rules (a configuration reload) for the logins that follow; sessions open
   * already stay open. The throttle keeps its settings and its counts.
   */
  public void reconfigure(AuthSettings next) {
    Optional<JwtParser> nextParser =
        next.jwt().enabled() ? Optional.of(parser(next.jwt(), clock)) : Optional.empty();
    synchronized (this) {
      this.settings = next;
      this.parser = nextParser;
    }
  }

  private static JwtParser parser(JwtSettings jwt, Clock clock) {
    Key hmac =
        jwt.hs256Secret().isEmpty()
            ? null
            : Keys.hmacShaKeyFor(jwt.hs256Secret().getBytes(StandardCharsets.UTF_8));
    Key ed25519 =
        jwt.ed25519PublicKey().isEmpty() ? null : PublicKeys.ed25519(jwt.ed25519PublicKey());
    Locator<Key> keys =
        header -> {
          String alg = header instanceof ProtectedHeader ? header.getAlgorithm() : "none";
          if ("HS256".equals(alg) && hmac != null) {
            return hmac;
          }
          if ("EdDSA".equals(alg) && ed25519 != null) {
            return ed25519;
          }
          throw new UnsupportedJwtException("algorithm " + alg + " is not accepted");
        };
    JwtParserBuilder builder =
        Jwts.parser()
            .keyLocator(keys)
            .clockSkewSeconds(jwt.clockSkew().toSeconds())
            .clock(() -> Date.from(clock.instant()));
    if (!jwt.issuer().isEmpty()) {
      builder.requireIssuer(jwt.issuer());
    }
    if (!jwt.audience().isEmpty()) {
      builder.requireAudience(jwt.audience());
    }
    return builder.build();
  }

  /** As {@link #authenticate(Credentials, String)} from an unknown address. */
  public AuthResult authenticate(Credentials credentials) {
    return authenticate(credentials, "");
  }

  /**
   * @param source the client's address (throttling counts wrong passwords per address too); empty
   *     when unknown
   */
  public AuthResult authenticate(Credentials credentials, String source) {
    if (credentials instanceof Credentials.Token token) {
      AuthResult result = token(token.jwt());
      if (result instanceof AuthResult.Refused) {
        counters.refused(credentials);
      }
      return result;
    }
    Credentials.Password password = (Credentials.Password) credentials;
    Optional<java.time.Duration> wait = throttle.retryAfter(password.user(), source);
    if (wait.isPresent()) {
      counters.throttle();
      return new AuthResult.Throttled(wait.get());
    }
    AuthResult result = password(password);
    if (result instanceof AuthResult.Refused) {
      counters.refused(credentials);
      throttle.failed(password.user(), source);
    } else {
      throttle.succeeded(password.user());
    }
    return result;
  }

  /** The refused and throttled logins so far. */
  public LoginCounters counters() {
    return counters;
  }

  private AuthResult password(Credentials.Password password) {
    StaticUser user = settings.users().get(password.user());
    byte[] given = password.password().getBytes(StandardCharsets.UTF_8);
    // Compare against something even for an unknown user, so timing does not tell names apart.
    byte[] expected =
        (user == null ? "\u0000unknown" : user.password()).getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, expected) || user == null) {
      return new AuthResult.Refused("unknown user or wrong password");
    }
    return new AuthResult.Authenticated(
        password.user(), Optional.empty(), user.profile(password.user()));
  }

  private AuthResult token(String jwt) {
    if (parser.isEmpty()) {
      return new AuthResult.Refused("JWT authentication is not configured");
    }
    Jws<Claims> verified;
    try {
      verified = parser.get().parseSignedClaims(jwt);
    } catch (ExpiredJwtException e) {
      return new AuthResult.Refused("token expired");
    } catch (PrematureJwtException e) {
      return new AuthResult.Refused("token not yet valid");
    } catch (SignatureException e) {
      return new AuthResult.Refused("bad signature");
    } catch (MissingClaimException | IncorrectClaimException e) {
      return new AuthResult.Refused("wrong " + e.getClaimName());
    } catch (UnsupportedJwtException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      return new AuthResult.Refused(
          message.startsWith("algorithm ")
              ? message
              : "unsupported token (only signed JWS: HS256 or EdDSA)");
    } catch (MalformedJwtException e) {
      return new AuthResult.Refused("malformed token");
    } catch (JwtException | IllegalArgumentException e) {
      return new AuthResult.Refused("invalid token");
    }
    Claims claims = verified.getPayload();
    Date issuedAt = claims.getIssuedAt();
    if (issuedAt != null
        && issuedAt.toInstant().isAfter(clock.instant().plus(settings.jwt().clockSkew()))) {
      // docs/protocol.md: iat is honoured; a token from the future was minted by a wrong clock
      return new AuthResult.Refused("token issued in the future (iat)");
    }
    if (claims.getExpiration() == null) {
      return new AuthResult.Refused("missing exp");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty()) {
      return new AuthResult.Refused("missing sub");
    }
    if (!Switchboard.USER_NAME.matcher(subject).matches()) {
      return new AuthResult.Refused("sub is not a user name (1..64 of A-Z a-z 0-9 . _ -)");
    }
    Optional<String> number = claim(claims, settings.jwt().numberClaim());
    Optional<String> name = claim(claims, settings.jwt().nameClaim());
    if (number.isPresent() && UserProfile.number(number.get()).isEmpty()) {
      // the user still signs in, without a number: destinations that need one refuse its calls
      log.warn(
          "token of {}: claim {} is not a phone number (digits, an optional leading +): ignored",
          subject,
          settings.jwt().numberClaim());
    }
    return new AuthResult.Authenticated(
        subject,
        Optional.of(claims.getExpiration().toInstant()),
        new UserProfile(
            subject, name.flatMap(UserProfile::displayName), number.flatMap(UserProfile::number)));
  }

  /** A string (or whole-number) claim, when {@code name} is configured and the token has it. */
  private static Optional<String> claim(Claims claims, String name) {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Object value = claims.get(name);
    if (value instanceof Integer || value instanceof Long) {
      return Optional.of(value.toString());
    }
    return value instanceof String text ? Optional.of(text) : Optional.empty();
  }
}

package dev.tandem.sip.registrar;

import dev.tandem.sip.stack.SipMessages;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sip.ServerTransaction;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of requests from the registrar's accounts (RFC 3261 §22): REGISTER is
 * challenged with 401 and {@code WWW-Authenticate} (§22.2), an INVITE with 407 and {@code
 * Proxy-Authenticate} (§22.3). Each challenge offers the configured algorithms, by default SHA-256
 * first, then MD5 (RFC 8760 §2.4), with qop=auth and a stateless nonce.
 *
 * <p>Per source address: requests beyond the rate get 503 with Retry-After; wrong credentials are
 * challenged again until {@code max-auth-failures}, then the source gets 403 for {@code lockout}.
 */
public final class DigestGate {
  private static final Logger log = LoggerFactory.getLogger(DigestGate.class);

  private volatile RegistrarSettings settings;
  private final SipMessages messages;
  private final Nonces nonces;
  private final SourceGuard guard;

  public DigestGate(RegistrarSettings settings, SipMessages messages, Supplier<Instant> clock) {
    this.settings = settings;
    this.messages = messages;
    this.nonces = new Nonces(settings.nonceLifetime(), clock);
    this.guard = new SourceGuard(settings, clock);
  }

  /**
   * New accounts (a configuration reload) for the requests that follow; the nonces and the
   * per-source guard carry on.
   */
  public void reconfigure(RegistrarSettings next) {
    this.settings = next;
  }

  /** Whether INVITEs from {@code fromUser} must authenticate. */
  public boolean challenges(String fromUser) {
    return settings.authenticateCalls() && settings.account(fromUser).isPresent();
  }

  /**
   * The account that {@code request} proves to be, or empty once the request has been answered
   * (challenge, 403 or 503).
   *
   * @param claimed the account the request says it is from (To of a REGISTER, From of an INVITE):
   *     the challenge offers that account's digest algorithms
   * @param proxy true for INVITE (407, Proxy-Authorization), false for REGISTER (401)
   * @param source the address the request came from
   */
  public Optional<String> authenticate(
      Request request, ServerTransaction transaction, String claimed, String source, boolean proxy)
      throws Exception {
    switch (guard.admit(source)) {
      case RATE_LIMITED -> {
        Response busy = messages.response(request, Response.SERVICE_UNAVAILABLE);
        busy.addHeader(messages.headers().createRetryAfterHeader(5));
        transaction.sendResponse(busy);
        log.info(
            "{} from {}: over {}/s, 503",
            request.getMethod(),
            source,
            settings.requestsPerSecond());
        return Optional.empty();
      }
      case LOCKED_OUT -> {
        forbid(transaction, "too many failed authentications from " + source);
        return Optional.empty();
      }
      case PASS -> {}
    }
    Optional<DigestHeader> credentials = credentials(request, proxy);
    if (credentials.isEmpty()) {
      challenge(transaction, claimed, proxy, false);
      return Optional.empty();
    }
    DigestHeader c = credentials.get();
    String user = c.get("username");
    Optional<DigestAlgorithm> algorithm =
        DigestAlgorithm.parse(c.get("algorithm")).filter(settings.algorithms(claimed)::contains);
    Optional<String> ha1 =
        user == null || algorithm.isEmpty()
            ? Optional.empty()
            : settings.account(user).flatMap(a -> a.ha1(algorithm.get(), user, settings.realm()));
    Nonces.Check nonce =
        c.get("nonce") == null ? Nonces.Check.FORGED : nonces.check(c.get("nonce"));
    boolean matches =
        ha1.isPresent()
            && nonce != Nonces.Check.FORGED
            && c.get("response") != null
            && algorithm
                .get()
                .response(
                    ha1.get(),
                    c.get("nonce"),
                    c.get("nc"),
                    c.get("cnonce"),
                    c.get("qop"),
                    request.getMethod(),
                    String.valueOf(c.get("uri")))
                .equals(c.get("response").toLowerCase(Locale.ROOT));
    if (matches && nonce == Nonces.Check.STALE) {
      challenge(transaction, claimed, proxy, true);
      return Optional.empty();
    }
    if (!matches) {
      boolean locked = guard.failed(source);
      log.info(
          "{} from {}: wrong credentials for '{}'{}",
          request.getMethod(),
          source,
          user,
          locked ? ", locked out for " + settings.lockout() : "");
      if (locked) {
        forbid(transaction, "too many failed authentications from " + source);
      } else {
        challenge(transaction, claimed, proxy, false);
      }
      return Optional.empty();
    }
    guard.succeeded(source);
    return Optional.of(user);
  }

  /** The credentials for our realm, if the request carries any. */
  private Optional<DigestHeader> credentials(Request request, boolean proxy) {
    Iterator<?> headers =
        request.getHeaders(proxy ? ProxyAuthorizationHeader.NAME : AuthorizationHeader.NAME);
    while (headers.hasNext()) {
      String text = ((Header) headers.next()).toString();
      Optional<DigestHeader> parsed = DigestHeader.parse(text.substring(text.indexOf(':') + 1));
      if (parsed.isPresent() && settings.realm().equals(parsed.get().get("realm"))) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  private void challenge(
      ServerTransaction transaction, String claimed, boolean proxy, boolean stale)
      throws Exception {
    Request request = transaction.getRequest();
    Response response =
        messages.response(
            request, proxy ? Response.PROXY_AUTHENTICATION_REQUIRED : Response.UNAUTHORIZED);
    String nonce = nonces.issue();
    for (DigestAlgorithm algorithm : settings.algorithms(claimed)) {
      WWWAuthenticateHeader h =
          proxy
              ? messages.headers().createProxyAuthenticateHeader("Digest")
              : messages.headers().createWWWAuthenticateHeader("Digest");
      h.setRealm(settings.realm());
      h.setNonce(nonce);
      h.setAlgorithm(algorithm.wireName());
      h.setQop("auth");
      if (stale) {
        h.setStale(true);
      }
      response.addHeader(h);
    }
    transaction.sendResponse(response);
  }

  private void forbid(ServerTransaction transaction, String why) throws Exception {
    transaction.sendResponse(messages.refusal(transaction.getRequest(), Response.FORBIDDEN, why));
  }
}

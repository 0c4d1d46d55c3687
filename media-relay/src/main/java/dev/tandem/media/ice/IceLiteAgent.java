package dev.tandem.media.ice;

import dev.tandem.media.stun.Stun;
import dev.tandem.media.stun.StunException;
import dev.tandem.media.stun.StunMessage;
import dev.tandem.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The ICE-lite side (RFC 8445 §2.5, §7.3) of one relay endpoint toward a browser: it never sends
 * checks, it answers the browser's. A Binding request is answered with XOR-MAPPED-ADDRESS,
 * MESSAGE-INTEGRITY (our short-term password) and FINGERPRINT when its USERNAME is {@code <our
 * ufrag>:<their ufrag>} and its integrity checks out; otherwise with 400 or 401, or dropped when it
 * is not even readable. The first address that passes a check is where media may go; USE-CANDIDATE
 * (the controlling browser's nomination) makes an address the selected one, and every valid check
 * refreshes consent (RFC 7675), which {@link #consentExpired} reads.
 *
 * <p>Checks are handled on one thread; {@link #mediaAddress} and {@link #isVerified} may be read
 * from others.
 */
public final class IceLiteAgent {
  /** RFC 7675 §5.1: consent expires 30 s after the last successful check. */
  public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);

  private final String localUfrag;
  private final byte[] localPwd;
  private final Supplier<Instant> clock;
  private String remoteUfrag;
  private volatile InetSocketAddress verified;
  private volatile InetSocketAddress selected;
  private volatile Instant lastConsent;

  /** What to do with one datagram that looked like STUN. */
  public sealed interface Outcome {
    /** Send {@code response} back to {@code to}. */
    record Respond(byte[] response, InetSocketAddress to, boolean nominated) implements Outcome {}

    /** Send an error response: the request was readable but not acceptable. */
    record Refuse(byte[] response, InetSocketAddress to, String reason) implements Outcome {}

    /** Drop silently (count it): unreadable, not a request, or a response we never asked for. */
    record Drop(String reason) implements Outcome {}
  }

  public IceLiteAgent(String localUfrag, String localPwd, Supplier<Instant> clock) {
    this.localUfrag = localUfrag;
    this.localPwd = localPwd.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /** The browser's ufrag, once its SDP is known; until then any remote fragment is accepted. */
  public void remoteCredentials(String ufrag) {
    this.remoteUfrag = ufrag;
  }

  public Outcome onStun(byte[] packet, int offset, int length, InetSocketAddress from) {
    StunMessage request;
    try {
      request = StunMessage.parse(packet, offset, length);
    } catch (StunException e) {
      return new Outcome.Drop(e.getMessage());
    }
    if (request.type() == Stun.BINDING_INDICATION) {
      return new Outcome.Drop("binding indication (keepalive)");
    }
    if (request.type() != Stun.BINDING_REQUEST) {
      return new Outcome.Drop(
          "not a Binding request: type 0x" + Integer.toHexString(request.type()));
    }
    if (request.has(Stun.FINGERPRINT) && !request.fingerprintMatches()) {
      return new Outcome.Drop("wrong FINGERPRINT"); // RFC 8445 §7.3: not ours to answer
    }
    Optional<String> username = request.username();
    if (username.isEmpty() || !request.has(Stun.MESSAGE_INTEGRITY)) {
      // RFC 8489 §9.1.3: missing credentials are a 400
      return refuse(request, from, 400, "Bad Request", "no USERNAME or MESSAGE-INTEGRITY");
    }
    String expectedPrefix = localUfrag + ":";
    String user = username.get();
    boolean userOk =
        user.startsWith(expectedPrefix)
            && (remoteUfrag == null || user.substring(expectedPrefix.length()).equals(remoteUfrag));
    if (!userOk) {
      return refuse(request, from, 401, "Unauthenticated", "USERNAME " + user + " is not ours");
    }
    if (!request.integrityMatches(localPwd)) {
      return refuse(request, from, 401, "Unauthenticated", "MESSAGE-INTEGRITY does not match");
    }
    boolean nominated = request.has(Stun.USE_CANDIDATE);
    if (verified == null) {
      verified = from;
    }
    if (nominated) {
      selected = from;
    }
    if (from.equals(selected) || from.equals(verified)) {
      lastConsent = clock.get();
    }
    byte[] response =
        new StunWriter(Stun.BINDING_SUCCESS, request.transactionId())
            .xorMappedAddress(from)
            .messageIntegrity(localPwd)
            .fingerprintAndBuild();
    return new Outcome.Respond(response, from, nominated);
  }

  /** An error response; without MESSAGE-INTEGRITY, since the request could not be trusted. */
  private static Outcome refuse(
      StunMessage request, InetSocketAddress from, int code, String text, String why) {
    byte[] error =
        new StunWriter(Stun.BINDING_ERROR, request.transactionId())
            .errorCode(code, text)
            .fingerprintAndBuild();
    return new Outcome.Refuse(error, from, why);
  }

  /**
   * Where media to the browser goes: the nominated address, else the first address that passed a
   * check; empty until one has (RFC 8445 §7.3.1.5: no media to unverified addresses).
   */
  public Optional<InetSocketAddress> mediaAddress() {
    return Optional.ofNullable(selected != null ? selected : verified);
  }

  /** Whether media from {@code source} comes from a verified address and may be relayed. */
  public boolean isVerified(InetSocketAddress source) {
    return source.equals(selected) || source.equals(verified);
  }

  /** RFC 7675: no successful check for 30 s on the media address: stop sending. */
  public boolean consentExpired() {
    return lastConsent == null
        || Duration.between(lastConsent, clock.get()).compareTo(CONSENT_TIMEOUT) > 0;
  }
}

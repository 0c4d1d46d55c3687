package dev.tandem.sip.upstream;

import dev.tandem.core.sip.Destination;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.stack.ClientEvents;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.stack.TlsPeer;
import gov.nist.javax.sip.DialogTimeoutEvent;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MinExpiresHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser user's registration at its PBX (RFC 3261 §10.2): one Call-ID for its whole life,
 * rising CSeq, a Contact that routes the PBX's INVITEs to this bridge for the user.
 *
 * <pre>
 * event                          what it does
 * online                         REGISTER (expires); a 401/407 is answered once with the account
 * 2xx                            registered for the granted time; refresh at max(half, granted - 30 s)
 * 423 Interval Too Brief         REGISTER again with the Min-Expires asked for
 * 401/407 again, other error,    failed: logged, tried again after retry-interval while online
 *   timeout
 * offline                        REGISTER with Expires: 0 (un-REGISTER), no more refreshes
 * </pre>
 *
 * All work runs on the SIP sending thread, so the state needs no lock.
 */
final class UpstreamRegistration implements ClientEvents, TlsPeer {
  private static final Logger log = LoggerFactory.getLogger(UpstreamRegistration.class);

  private final String user;
  private final UpstreamIdentity identity;
  private final Destination destination;
  private final Optional<String> instance;
  private final Providers providers;
  private final SipMessages messages;
  private final Duration retryInterval;
  private final String fromTag = SipMessages.newTag();
  private String callId;
  private long cseq;
  private boolean wanted;
  private boolean registered;
  private boolean inFlight;
  private boolean challengeAnswered;
  private Duration asked = Duration.ZERO;
  private int generation;
  private Runnable whenIdle = () -> {};

  /**
   * @param instance the node's RFC 5626 instance id ({@code urn:uuid:...}), written into the
   *     Contact with {@code reg-id=1} so that the registrar replaces this node's earlier binding of
   *     the user (after a restart, a new Call-ID) instead of adding one
   */
  UpstreamRegistration(
      String user,
      UpstreamIdentity identity,
      Destination destination,
      Optional<String> instance,
      Providers providers,
      SipMessages messages,
      Duration retryInterval) {
    this.user = user;
    this.identity = identity;
    this.destination = destination;
    this.instance = instance;
    this.providers = providers;
    this.messages = messages;
    this.retryInterval = retryInterval;
  }

  @Override
  public Optional<String> tlsHost() {
    return Optional.of(destination.host());
  }

  String user() {
    return user;
  }

  Destination destination() {
    return destination;
  }

  boolean registered() {
    return registered;
  }

  boolean busy() {
    return inFlight;
  }

  UpstreamState state() {
    if (registered) {
      return UpstreamState.REGISTERED;
    }
    if (inFlight) {
      return UpstreamState.REGISTERING;
    }
    return wanted ? UpstreamState.FAILED : UpstreamState.OFFLINE;
  }

  void online() {
    wanted = true;
    generation++;
    if (!inFlight) {
      register(identity.lifetime());
    }
  }

  /** Runs {@code action} (on the SIP sending thread) each time the user is offline and settled. */
  void whenIdle(Runnable action) {
    this.whenIdle = action;
  }

  private void settled() {
    if (!wanted && !inFlight) {
      whenIdle.run();
    }
  }

  void offline() {
    wanted = false;
    generation++;
    if (registered && !inFlight) {
      register(Duration.ZERO);
    } else {
      settled();
    }
  }

  String aor() {
    return identity.aor();
  }

  private void register(Duration expires) {
    try {
      Optional<SipProvider> provider = providers.provider(destination);
      if (provider.isEmpty()) {
        failed(
            "the bridge does not listen on "
                + destination.transport().name().toLowerCase(Locale.ROOT));
        return;
      }
      ClientTransaction transaction =
          provider.get().getNewClientTransaction(request(provider.get(), expires));
      transaction.setApplicationData(this);
      asked = expires;
      inFlight = true;
      challengeAnswered = false;
      transaction.sendRequest();
      log.debug("REGISTER {} for {} (expires {})", aor(), user, expires.toSeconds());
    } catch (Exception e) {
      failed("cannot send REGISTER: " + e);
    }
  }

  private Request request(SipProvider provider, Duration expires) throws Exception {
    HeaderFactory headers = messages.headers();
    ListeningPoint point = Providers.listeningPoint(provider);
    String transport = point.getTransport().toLowerCase(Locale.ROOT);
    HostPort local = providers.advertised().toward(provider, destination.host());
    if (callId == null) {
      callId = messages.newCallId(local).getCallId();
    }
    cseq++;
    Address aor = messages.addresses().createAddress(aor());
    String domain = ((SipURI) aor.getURI()).getHost();
    ContactHeader contact = messages.contact(user, local, transport);
    contact.setExpires((int) expires.toSeconds());
    if (instance.isPresent()) {
      contact.setParameter("+sip.instance", "\"<" + instance.get() + ">\"");
      contact.setParameter("reg-id", "1");
    }
    Request request =
        messages
            .requests()
            .createRequest(
                messages.addresses().createURI("sip:" + domain),
                Request.REGISTER,
                headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, Request.REGISTER),
                headers.createFromHeader(aor, fromTag),
                headers.createToHeader(aor, null),
                List.of(messages.via(local, transport)),
                headers.createMaxForwardsHeader(70));
    request.addHeader(contact);
    request.addHeader(headers.createExpiresHeader((int) expires.toSeconds()));
    request.addHeader(headers.createUserAgentHeader(List.of(messages.product())));
    SipURI next =
        messages
            .addresses()
            .createSipURI(null, new HostPort(destination.host(), destination.port()).toString());
    next.setTransportParam(transport);
    next.setLrParam();
    request.addHeader(headers.createRouteHeader(messages.addresses().createAddress(next)));
    return request;
  }

  @Override
  public void response(ResponseEvent event) {
    providers.send(() -> onResponse(event.getResponse(), event.getClientTransaction()));
  }

  @Override
  public void timeout(TimeoutEvent event) {
    providers.send(() -> failed("no answer from " + destination.name()));
  }

  @Override
  public void dialogTimeout(DialogTimeoutEvent event) {}

  private void onResponse(Response response, ClientTransaction transaction) {
    int status = response.getStatusCode();
    if (status < 200) {
      return;
    }
    if (status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
      challenged(response, transaction);
      return;
    }
    if (status == Response.INTERVAL_TOO_BRIEF
        && response.getHeader(MinExpiresHeader.NAME) instanceof MinExpiresHeader min
        && min.getExpires() > asked.toSeconds()) {
      inFlight = false;
      register(Duration.ofSeconds(min.getExpires()));
      return;
    }
    if (status >= 300) {
      failed(status + " " + response.getReasonPhrase());
      return;
    }
    inFlight = false;
    if (asked.isZero()) {
      registered = false;
      log.info("{} unregistered from {} ({})", user, destination.name(), aor());
      if (wanted) {
        register(identity.lifetime());
      } else {
        settled();
      }
      return;
    }
    Duration granted = granted(response);
    registered = true;
    log.info(
        "{} registered upstream as {} at {} for {} s",
        user,
        aor(),
        destination.name(),
        granted.toSeconds());
    if (!wanted) {
      register(Duration.ZERO);
      return;
    }
    Duration refresh = granted.minusSeconds(30);
    if (refresh.compareTo(granted.dividedBy(2)) < 0) {
      refresh = granted.dividedBy(2);
    }
    registerAgainAfter(refresh);
  }

  /** The lifetime the registrar granted our contact: its expires parameter, else Expires. */
  private Duration granted(Response response) {
    for (Iterator<?> it = response.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
      ContactHeader contact = (ContactHeader) it.next();
      if (contact.getAddress().getURI() instanceof SipURI uri
          && user.equals(uri.getUser())
          && contact.getExpires() > 0) {
        return Duration.ofSeconds(contact.getExpires());
      }
    }
    if (response.getHeader(ExpiresHeader.NAME) instanceof ExpiresHeader expires
        && expires.getExpires() > 0) {
      return Duration.ofSeconds(expires.getExpires());
    }
    return asked;
  }

  private void challenged(Response response, ClientTransaction transaction) {
    if (challengeAnswered) {
      failed("credentials refused (" + response.getStatusCode() + ")");
      return;
    }
    Optional<Destination.DigestCredentials> credentials = identity.credentials().get();
    if (credentials.isEmpty()) {
      failed("challenged (" + response.getStatusCode() + "), but registered without credentials");
      return;
    }
    try {
      ClientTransaction retry =
          providers
              .digest()
              .answer(
                  response,
                  transaction,
                  ((gov.nist.javax.sip.ClientTransactionExt) transaction).getSipProvider(),
                  credentials.get());
      retry.setApplicationData(this);
      cseq = ((CSeqHeader) retry.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
      challengeAnswered = true;
      retry.sendRequest();
    } catch (Exception e) {
      failed("cannot answer the challenge: " + e);
    }
  }

  private void failed(String why) {
    inFlight = false;
    registered = false;
    if (!wanted) {
      log.info("{}'s un-REGISTER at {} failed: {}", user, destination.name(), why);
      settled();
      return;
    }
    log.warn(
        "{}'s registration as {} at {} failed: {}; retrying in {} s",
        user,
        aor(),
        destination.name(),
        why,
        retryInterval.toSeconds());
    registerAgainAfter(retryInterval);
  }

  /** REGISTERs again after {@code delay} unless the user went offline or came back meanwhile. */
  private void registerAgainAfter(Duration delay) {
    int at = generation;
    providers.sendLater(
        delay,
        () -> {
          if (at == generation && wanted && !inFlight) {
            register(identity.lifetime());
          }
        });
  }
}

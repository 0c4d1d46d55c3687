package dev.tandem.sip.options;

import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.DestinationHealth;
import dev.tandem.sip.HostPort;
import dev.tandem.sip.stack.ClientEvents;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import dev.tandem.sip.stack.TlsPeer;
import gov.nist.javax.sip.DialogTimeoutEvent;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPTIONS keepalives toward the destinations that ask for them: one OPTIONS every interval; any
 * response (even 404 or 405: the peer is there) marks the destination up, {@value #DOWN_AFTER}
 * probes in a row without an answer within the probe timeout mark it down. Down destinations are
 * tried last by failover ({@link dev.tandem.core.sip.FailoverLeg}). Transitions are logged.
 */
public final class KeepalivePinger implements DestinationHealth {
  private static final Logger log = LoggerFactory.getLogger(KeepalivePinger.class);

  /** Unanswered probes in a row before a destination is down. */
  static final int DOWN_AFTER = 2;

  /** The longest a probe waits for its answer. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Providers providers;
  private final SipMessages messages;
  private final Map<String, Probe> probes = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /**
   * @param keepalives destination → its OPTIONS interval
   */
  public KeepalivePinger(
      Map<Destination, Duration> keepalives, Providers providers, SipMessages messages) {
    this.providers = providers;
    this.messages = messages;
    keepalives.forEach((d, interval) -> probes.put(d.name(), new Probe(d, interval)));
  }

  /** Starts probing, once the stack is up. */
  public void start() {
    probes.values().forEach(p -> providers.send(p::send));
  }

  public void stop() {
    stopped = true;
  }

  @Override
  public boolean isUp(String destination) {
    Probe probe = probes.get(destination);
    return probe == null || probe.up;
  }

  /** One destination's keepalive; runs on the SIP sending thread. */
  private final class Probe implements ClientEvents, TlsPeer {
    private final Destination destination;
    private final Duration interval;
    private volatile boolean up = true;
    private int missed;
    private long sent;
    private long answered;

    Probe(Destination destination, Duration interval) {
      this.destination = destination;
      this.interval = interval;
    }

    @Override
    public Optional<String> tlsHost() {
      return Optional.of(destination.host());
    }

    void send() {
      if (stopped) {
        return;
      }
      long number = ++sent;
      try {
        Optional<SipProvider> provider = providers.provider(destination);
        if (provider.isPresent()) {
          ClientTransaction transaction =
              provider.get().getNewClientTransaction(request(provider.get()));
          transaction.setApplicationData(this);
          transaction.sendRequest();
        }
      } catch (Exception e) {
        log.debug("OPTIONS to {} not sent: {}", destination.name(), e.toString());
      }
      Duration wait = interval.compareTo(PROBE_TIMEOUT) < 0 ? interval : PROBE_TIMEOUT;
      providers.sendLater(wait, () -> check(number));
      providers.sendLater(interval, this::send);
    }

    private Request request(SipProvider provider) throws Exception {
      HeaderFactory headers = messages.headers();
      ListeningPoint point = provider.getListeningPoints()[0];
      String transport = point.getTransport().toLowerCase(Locale.ROOT);
      HostPort local = providers.advertised().toward(provider, destination.host());
      String target = "sip:" + new HostPort(destination.host(), destination.port());
      Address to = messages.addresses().createAddress(target);
      Address from = messages.addresses().createAddress("sip:keepalive@" + local);
      Request options =
          messages
              .requests()
              .createRequest(
                  messages.addresses().createURI(target + ";transport=" + transport),
                  Request.OPTIONS,
                  messages.newCallId(local),
                  headers.createCSeqHeader(1L, Request.OPTIONS),
                  headers.createFromHeader(from, SipMessages.newTag()),
                  headers.createToHeader(to, null),
                  List.of(messages.via(local, transport)),
                  headers.createMaxForwardsHeader(70));
      options.addHeader(headers.createUserAgentHeader(List.of(messages.product())));
      return options;
    }

    /** The probe {@code number} got no answer in time: counts toward down. */
    private void check(long number) {
      if (answered >= number || stopped) {
        return;
      }
      missed++;
      if (up && missed >= DOWN_AFTER) {
        up = false;
        log.warn(
            "destination {} is down: {} OPTIONS without an answer", destination.name(), missed);
      }
    }

    @Override
    public void response(ResponseEvent event) {
      providers.send(
          () -> {
            answered = sent;
            missed = 0;
            if (!up) {
              up = true;
              log.info(
                  "destination {} is up again (OPTIONS answered {})",
                  destination.name(),
                  event.getResponse().getStatusCode());
            }
          });
    }

    @Override
    public void timeout(TimeoutEvent event) {
      // counted by check() already, well before the transaction's own timeout
    }

    @Override
    public void dialogTimeout(DialogTimeoutEvent event) {}
  }
}

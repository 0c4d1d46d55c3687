package dev.tandem.sip.stack;

import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.SipTransport;
import dev.tandem.sip.wire.JainSipLogger;
import dev.tandem.sip.wire.ProcessorFactory;
import dev.tandem.sip.wire.ScreeningParser;
import dev.tandem.sip.wire.SipTraffic;
import dev.tandem.sip.wire.StackHooks;
import dev.tandem.sip.wire.TrafficLogger;
import dev.tandem.sip.wire.WireLog;
import gov.nist.javax.sip.SipStackImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns the JAIN-SIP stack: creates it from {@link SipSettings}, opens one listening point per
 * configured address, reports each to {@link Readiness}, and closes everything on {@link #stop()}.
 *
 * <p>The stack's string properties are set here and nowhere else. Not thread-safe: start and stop
 * are called by the bridge's lifecycle, once each.
 */
public final class SipStackService implements Providers {
  private static final Logger log = LoggerFactory.getLogger(SipStackService.class);
  private static final AtomicInteger STACK_NUMBERS = new AtomicInteger();

  private final SipSettings settings;
  private final Readiness readiness;
  private final SipMessages messages;
  private final Advertised advertised;
  private final List<SipProvider> providers = new ArrayList<>();
  private final Map<SipTransport, SipProvider> byTransport = new EnumMap<>(SipTransport.class);
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "sip-send");
            thread.setDaemon(true);
            return thread;
          });
  private List<RequestHandler> handlers = List.of();
  private ClientEvents clientEvents = ClientEvents.NONE;
  private DigestAuth digest;
  private RequestDispatcher dispatcher;
  private SipStackImpl stack;
  private String stackName;
  private volatile SipTraffic traffic = SipTraffic.NONE;

  /** The receive buffer asked for each UDP socket (4 MiB; see stackProperties). */
  static final int UDP_RECEIVE_BUFFER = 4 << 20;

  public SipStackService(SipSettings settings, Readiness readiness) {
    this.settings = settings;
    this.readiness = readiness;
    this.messages = new SipMessages(settings.userAgent());
    this.advertised = new Advertised(settings.listen());
    settings.listen().forEach(point -> readiness.register(componentName(point)));
  }

  public SipMessages messages() {
    return messages;
  }

  /** Handlers for methods beyond OPTIONS, and where responses go; before {@link #start}. */
  public void handle(List<RequestHandler> handlers, ClientEvents clientEvents) {
    this.handlers = List.copyOf(handlers);
    this.clientEvents = clientEvents;
  }

  @Override
  public Optional<SipProvider> provider(SipTransport transport) {
    synchronized (byTransport) {
      return Optional.ofNullable(byTransport.get(transport));
    }
  }

  @Override
  public void send(Runnable work) {
    sendLater(Duration.ZERO, work);
  }

  @Override
  public void sendLater(Duration delay, Runnable work) {
    String callId = MDC.get(RequestDispatcher.MDC_CALL_ID);
    try {
      sender.schedule(
          () -> {
            if (callId != null) {
              MDC.put(RequestDispatcher.MDC_CALL_ID, callId);
            }
            try {
              work.run();
            } catch (RuntimeException e) {
              log.error("SIP send failed", e);
            } finally {
              MDC.remove(RequestDispatcher.MDC_CALL_ID);
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("SIP stack stopped; not sending");
    }
  }

  @Override
  public Advertised advertised() {
    return advertised;
  }

  @Override
  public DigestAuth digest() {
    return digest;
  }

  /**
   * Who counts the messages the stack sends and receives (by default nobody); set before {@link
   * #start}.
   */
  public void observe(SipTraffic traffic) {
    this.traffic = Objects.requireNonNull(traffic, "traffic");
  }

  /** Creates the stack and opens every listening point; on failure closes what it opened. */
  public void start() throws StartupException {
    dispatcher = newDispatcher();
    stackName = "gov.nist.javax.sip.tandem-" + STACK_NUMBERS.incrementAndGet();
    WireLog wire = WireLog.standard();
    StackHooks.register(stackName, new StackHooks(wire, settings.threads(), advertised, traffic));
    advertised.describe();
    try {
      Properties properties = stackProperties();
      if (settings.usesTls()) {
        TlsStores.configure(settings.tls(), properties);
      }
      stack = new SipStackImpl(properties);
      digest = new DigestAuth(stack, messages.headers());
    } catch (StartupException e) {
      releaseHooks();
      throw e;
    } catch (Exception e) {
      releaseHooks();
      throw new StartupException("sip", StartupException.rootMessage(e), e);
    }
    for (ListenPoint point : settings.listen()) {
      String component = componentName(point);
      try {
        ListeningPoint listeningPoint =
            stack.createListeningPoint(point.host(), point.port(), point.transport().wireName());
        SipProvider provider = stack.createSipProvider(listeningPoint);
        provider.addSipListener(dispatcher);
        providers.add(provider);
        synchronized (byTransport) {
          byTransport.putIfAbsent(point.transport(), provider);
        }
        readiness.set(component, Readiness.State.UP);
        log.info("SIP listening on {}", point);
      } catch (Exception e) {
        readiness.set(component, Readiness.State.DOWN);
        stop();
        throw new StartupException(component, StartupException.rootMessage(e), e);
      }
    }
    try {
      stack.start();
    } catch (Exception e) {
      stop();
      throw new StartupException("sip", StartupException.rootMessage(e), e);
    }
  }

  private RequestDispatcher newDispatcher() {
    return new RequestDispatcher(messages, handlers, clientEvents);
  }

  private Properties stackProperties() {
    Properties properties = new Properties();
    // The stack logs under its own name; keeping it below gov.nist puts it under the stack's
    // logging level in logback.xml.
    properties.setProperty("javax.sip.STACK_NAME", stackName);
    // Dialogs are created explicitly by the call handling (a B2BUA owns both sides).
    properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    // In-dialog requests to a peer behind NAT go where its messages come from (Flow).
    properties.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
    properties.setProperty(
        "gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(settings.threads()));
    properties.setProperty(
        "gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(settings.maxMessageSize()));
    properties.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
    // JAIN-SIP's errors become one escaped, rate-limited line each (sip.wire.WireLog).
    properties.setProperty("gov.nist.javax.sip.STACK_LOGGER", JainSipLogger.class.getName());
    // Each message sent and received is counted there (SipTraffic), not written out.
    properties.setProperty("gov.nist.javax.sip.SERVER_LOGGER", TrafficLogger.class.getName());
    // Notes a foreign SIP version and duplicated headers for the RequestScreen to answer.
    properties.setProperty(
        "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", ScreeningParser.Factory.class.getName());
    // UDP received into one buffer; TCP and TLS on JAIN-SIP's blocking processors (two threads
    // per connection), whose accepted connections MAX_CONNECTIONS caps (ProcessorFactory says why
    // not its NIO processor).
    properties.setProperty(
        "gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", ProcessorFactory.class.getName());
    properties.setProperty(
        "gov.nist.javax.sip.MAX_CONNECTIONS", Integer.toString(settings.tcp().maxConnections()));
    // A UDP socket's receive buffer holds what arrives while the reader is stalled (a GC pause):
    // Linux's 208 KiB default holds ~300 SIP messages, 150 ms at 1,000 calls/s, and the rest is
    // dropped (RcvbufErrors) and costs a 500 ms retransmission. The kernel caps it at rmem_max.
    properties.setProperty(
        "gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(UDP_RECEIVE_BUFFER));
    return properties;
  }

  /** Closes every listening point and stops the stack; safe to call more than once. */
  public void stop() {
    settings.listen().forEach(point -> readiness.set(componentName(point), Readiness.State.DOWN));
    if (stack == null) {
      return;
    }
    for (SipProvider provider : providers) {
      try {
        provider.removeSipListener(dispatcher);
        stack.deleteSipProvider(provider);
      } catch (Exception e) {
        log.warn("cannot close SIP provider: {}", e.toString());
      }
    }
    providers.clear();
    synchronized (byTransport) {
      byTransport.clear();
    }
    sender.shutdown();
    try {
      sender.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stack.stop();
    stack = null;
    releaseHooks();
    log.info("SIP stack stopped");
  }

  private void releaseHooks() {
    if (stackName != null) {
      StackHooks.unregister(stackName);
    }
  }

  private static String componentName(ListenPoint point) {
    return "sip " + point;
  }
}

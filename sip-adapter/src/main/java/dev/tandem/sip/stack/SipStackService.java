package dev.tandem.sip.stack;

import dev.tandem.core.health.Readiness;
import dev.tandem.core.lifecycle.StartupException;
import dev.tandem.sip.ListenPoint;
import dev.tandem.sip.SipSettings;
import gov.nist.javax.sip.SipStackImpl;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the JAIN-SIP stack: creates it from {@link SipSettings}, opens one listening point per
 * configured address, reports each to {@link Readiness}, and closes everything on {@link #stop()}.
 *
 * <p>The stack's string properties are set here and nowhere else. Not thread-safe: start and stop
 * are called by the bridge's lifecycle, once each.
 */
public final class SipStackService {
  private static final Logger log = LoggerFactory.getLogger(SipStackService.class);
  private static final AtomicInteger STACK_NUMBERS = new AtomicInteger();

  private final SipSettings settings;
  private final Readiness readiness;
  private final SipMessages messages;
  private final List<SipProvider> providers = new ArrayList<>();
  private RequestDispatcher dispatcher;
  private SipStackImpl stack;

  public SipStackService(SipSettings settings, Readiness readiness) {
    this.settings = settings;
    this.readiness = readiness;
    this.messages = new SipMessages(settings.userAgent());
    settings.listen().forEach(point -> readiness.register(componentName(point)));
  }

  /** Creates the stack and opens every listening point; on failure closes what it opened. */
  public void start() throws StartupException {
    dispatcher = newDispatcher();
    try {
      stack = new SipStackImpl(stackProperties());
    } catch (Exception e) {
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
    // Calls (INVITE, BYE, CANCEL) are handled once the call-state machine exists; until then the
    // bridge answers OPTIONS and refuses every other method with 405.
    return new RequestDispatcher(messages, List.of());
  }

  private Properties stackProperties() {
    Properties properties = new Properties();
    // The stack logs under its own name; keeping it below gov.nist puts it under the stack's
    // logging level in logback.xml.
    properties.setProperty(
        "javax.sip.STACK_NAME", "gov.nist.javax.sip.tandem-" + STACK_NUMBERS.incrementAndGet());
    // Dialogs are created explicitly by the call handling (a B2BUA owns both sides).
    properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    properties.setProperty(
        "gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(settings.threads()));
    properties.setProperty(
        "gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(settings.maxMessageSize()));
    properties.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
    properties.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
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
    stack.stop();
    stack = null;
    log.info("SIP stack stopped");
  }

  private static String componentName(ListenPoint point) {
    return "sip " + point;
  }
}

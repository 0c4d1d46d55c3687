package dev.tandem.sip.call;

import dev.tandem.core.time.Scheduler;
import dev.tandem.sip.stack.Providers;
import dev.tandem.sip.stack.SipMessages;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where the SIP legs of calls live and how their effects leave. Every leg's state is read and
 * written only on {@link #owner} (core's signaling loop: one serial executor for all call state, so
 * no leg needs a lock); JAIN-SIP events hop onto it at the edge, timers fire on it ({@link
 * #timers}), and whatever touches the network leaves as a command to {@link #io}, which never
 * reports back except by a new message onto the owner.
 */
record LegContext(
    Executor owner,
    Scheduler timers,
    Providers providers,
    SipMessages messages,
    SessionTimers sessionTimers) {
  private static final Logger log = LoggerFactory.getLogger(LegContext.class);

  /**
   * Runs {@code work} on the owner with {@code logging} (call ids) in the logging context; a
   * failure is logged and stays inside the task.
   */
  void onOwner(Map<String, String> logging, Runnable work) {
    owner.execute(() -> withLogging(logging, work));
  }

  /** Runs {@code io} on the sending thread with the caller's logging context. */
  void io(IoWork io) {
    Map<String, String> logging = MDC.getCopyOfContextMap();
    providers.send(
        () ->
            withLogging(
                logging,
                () -> {
                  try {
                    io.run();
                  } catch (Exception e) {
                    log.warn("SIP send failed: {}", e.toString());
                  }
                }));
  }

  /**
   * Logs a leg's step in one form ({@code [before] --input--> [after]}, or that the input was
   * ignored in that phase); whether the step applies.
   */
  static boolean logStep(
      Logger log, Enum<?> before, Enum<?> input, Enum<?> after, boolean ignored) {
    if (ignored) {
      log.debug("[{}] --{}--> ignored", before, input);
      return false;
    }
    if (before != after) {
      log.debug("[{}] --{}--> [{}]", before, input, after);
    }
    return true;
  }

  /** Adds a call's ids to the logging context of the task running now (restored when it ends). */
  static void enter(Map<String, String> logging) {
    logging.forEach(MDC::put);
  }

  static void withLogging(Map<String, String> logging, Runnable work) {
    Map<String, String> before = MDC.getCopyOfContextMap();
    if (logging != null) {
      logging.forEach(MDC::put);
    }
    try {
      work.run();
    } catch (RuntimeException e) {
      log.error("SIP call task failed", e);
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  /** Network work for the sending thread. */
  @FunctionalInterface
  interface IoWork {
    void run() throws Exception;
  }
}

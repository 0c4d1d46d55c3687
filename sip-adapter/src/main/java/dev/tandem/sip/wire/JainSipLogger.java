package dev.tandem.sip.wire;

import gov.nist.core.LogLevels;
import gov.nist.core.StackLogger;
import java.io.IOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP's logger ({@code gov.nist.javax.sip.STACK_LOGGER}). JAIN-SIP logs a bad UDP datagram as
 * an ERROR with a stack trace and the whole receive buffer as numbers, and a bad TCP message
 * verbatim; here each of its errors and warnings becomes one escaped, rate-limited {@link WireLog}
 * line of at most a few hundred characters, without stack trace. Errors caused by an {@link
 * IOException} (a peer that closed, a refused TCP connection that the caller falls back from) go to
 * DEBUG: the code that sees their consequence logs them once. Its info and debug output goes to
 * DEBUG/TRACE of the {@code gov.nist.javax.sip} logger, where a developer can turn it on (escaped
 * too).
 *
 * <p>JAIN-SIP keeps one such logger per JVM (a static in {@code CommonLogger}): the last stack
 * created logs for all. Built by JAIN-SIP with the no-argument constructor.
 */
public final class JainSipLogger implements StackLogger {
  private static final Logger debug = LoggerFactory.getLogger("gov.nist.javax.sip");

  private volatile WireLog wire = WireLog.standard();
  private volatile String name = "gov.nist.javax.sip";

  @Override
  public void setStackProperties(Properties properties) {
    String stack = properties.getProperty("javax.sip.STACK_NAME");
    if (stack != null) {
      name = stack;
      wire = StackHooks.of(stack).wire();
    }
  }

  @Override
  public boolean isLoggingEnabled() {
    return true;
  }

  @Override
  public boolean isLoggingEnabled(int level) {
    if (level <= LogLevels.TRACE_WARN) {
      return true;
    }
    if (level == LogLevels.TRACE_MESSAGES && StackHooks.anyObserved()) {
      // JAIN-SIP hands each message to TrafficLogger only at this level (the same number as
      // TRACE_INFO: its few info lines still go to DEBUG, see logInfo)
      return true;
    }
    return level <= LogLevels.TRACE_INFO ? debug.isDebugEnabled() : debug.isTraceEnabled();
  }

  @Override
  public void logError(String message) {
    complain(message, null);
  }

  @Override
  public void logError(String message, Exception cause) {
    complain(message, cause);
  }

  @Override
  public void logFatalError(String message) {
    complain(message, null);
  }

  @Override
  public void logException(Throwable cause) {
    complain("", cause);
  }

  @Override
  public void logWarning(String message) {
    // Its warnings are about its own configuration (e.g. TLS stores it does not use at every
    // start): DEBUG.
    logInfo(message);
  }

  @Override
  public void logInfo(String message) {
    if (debug.isDebugEnabled()) {
      debug.debug(WireLog.escape(message, 4 * WireLog.MAX_QUOTE));
    }
  }

  @Override
  public void logDebug(String message) {
    if (debug.isTraceEnabled()) {
      debug.trace(WireLog.escape(message, 4 * WireLog.MAX_QUOTE));
    }
  }

  @Override
  public void logDebug(String message, Exception cause) {
    if (debug.isTraceEnabled()) {
      debug.trace(WireLog.escape(message, 4 * WireLog.MAX_QUOTE) + ": " + cause);
    }
  }

  @Override
  public void logTrace(String message) {
    logDebug(message);
  }

  @Override
  public void logStackTrace() {
    // JAIN-SIP prints where it is; nothing a reader of Tandem's log needs.
  }

  @Override
  public void logStackTrace(int traceLevel) {
    // as above
  }

  /** How JAIN-SIP's blocking stream reader starts its line for a message it cannot use. */
  private static final String BAD_MESSAGE = "bad message";

  /** The line it adds for the same message. */
  private static final String DROPPED = ">>> Dropped Bad Msg";

  private void complain(String message, Throwable cause) {
    String text = message == null ? "" : message.trim();
    if (cause != null) {
      text = text + (text.isEmpty() ? "" : ": ") + describe(cause);
    }
    if (cause instanceof IOException || text.startsWith(DROPPED)) {
      // a connection's failure (expected: INFO from the caller), or the second line JAIN-SIP's
      // stream reader writes for a message it already called bad
      if (debug.isDebugEnabled()) {
        debug.debug(WireLog.escape(text, 4 * WireLog.MAX_QUOTE));
      }
      return;
    }
    if (text.startsWith(BAD_MESSAGE)) {
      // JAIN-SIP's stream reader could not use a message (its peer is not named there)
      wire.malformed("a stream peer", "tcp/tls", text.substring(BAD_MESSAGE.length()).trim());
      return;
    }
    wire.warn("JAIN-SIP: " + text);
  }

  /** The exception and its root cause, class and message, without frames. */
  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String at = "";
    StackTraceElement[] frames = cause.getStackTrace();
    if (frames.length > 0) {
      at = " at " + frames[0].getClassName() + "." + frames[0].getMethodName();
    }
    return cause + (root == cause ? "" : " (caused by " + root + ")") + at;
  }

  @Override
  public int getLineCount() {
    return 0;
  }

  @Override
  public String getLoggerName() {
    return name;
  }

  @Override
  public void disableLogging() {
    // levels come from the logging configuration
  }

  @Override
  public void enableLogging() {
    // levels come from the logging configuration
  }

  @Override
  public void setBuildTimeStamp(String buildTimeStamp) {
    // not logged
  }
}

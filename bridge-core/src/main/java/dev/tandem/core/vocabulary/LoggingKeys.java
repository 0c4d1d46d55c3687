package dev.tandem.core.vocabulary;

/**
 * The logging context (SLF4J MDC) keys every part of a call's work carries, so that each line of a
 * call can be found by either id: the bridge's call id and the SIP Call-ID of its SIP leg.
 */
public final class LoggingKeys {
  /** The bridge's call id ({@link CallId}). */
  public static final String CALL_ID = "callId";

  /** The SIP Call-ID of the call's SIP leg (the latest, for a fork or a failover). */
  public static final String SIP_CALL_ID = "sipCallId";

  private LoggingKeys() {}
}

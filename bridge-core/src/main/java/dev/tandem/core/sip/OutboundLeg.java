package dev.tandem.core.sip;

/** Core's handle on a SIP leg it placed. Calls are idempotent and never throw. */
public interface OutboundLeg {
  /** CANCEL while no final response has come (RFC 3261 §9.1). */
  void cancel();

  /** BYE once answered. */
  void bye();

  /**
   * Once answered, sends {@code digits} as SIP INFO ({@code application/dtmf-relay}, RFC 6086), one
   * request per digit, in order, each {@code toneDuration} apart; {@code ,} pauses.
   */
  void dtmf(String digits, java.time.Duration toneDuration);
}

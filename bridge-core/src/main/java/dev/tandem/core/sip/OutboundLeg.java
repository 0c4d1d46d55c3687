package dev.tandem.core.sip;

/** Core's handle on a SIP leg it placed. Calls are idempotent and never throw. */
public interface OutboundLeg extends DialogLeg {
  /** CANCEL while no final response has come (RFC 3261 §9.1). */
  void cancel();
}

package dev.tandem.core.sip;

/** Receives a SIP leg's events; called from the SIP stack's threads. */
@FunctionalInterface
public interface SipLegListener {
  void on(SipLegEvent event);
}

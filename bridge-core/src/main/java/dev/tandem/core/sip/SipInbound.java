package dev.tandem.core.sip;

/** Core's entry for an INVITE that a SIP peer sends to a browser user. */
public interface SipInbound {
  /**
   * A new INVITE (the adapter has sent 100 Trying). Core answers through {@code leg}; the listener
   * it returns receives what the SIP peer does later (CANCEL, BYE).
   */
  SipLegListener incoming(InboundInvite invite, InboundLeg leg);
}

package dev.tandem.core.sip;

/**
 * What core asks of the SIP side, the B2BUA in sip-adapter: place the SIP leg of a browser's call.
 * Inbound INVITEs travel the other way, through {@link SipInbound}.
 */
public interface SipSide {
  /**
   * Sends an INVITE for a browser's call. Returns at once; the leg's progress reaches {@code
   * listener} until a final {@link SipLegEvent}, on the thread core calls from (the call's owner,
   * the signaling loop): the adapter hops its events there, and core's commands to the leg are made
   * there.
   */
  OutboundLeg invite(OutboundInvite invite, SipLegListener listener);

  /** The URI that reaches {@code user} through this bridge ({@code sip:user@host:port}). */
  String localUri(String user);
}

/**
 * The JAIN-SIP stack and its listening points, and the one listener that turns every incoming SIP
 * message into a call to the handler for its method.
 *
 * <p>Addresses: {@link dev.tandem.sip.stack.Advertised} is the one rule for the address written
 * toward peers (Via, Contact, Call-ID); {@link dev.tandem.sip.stack.Flow} and {@link
 * dev.tandem.sip.stack.FlowRouter} send a dialog's requests to a peer behind NAT where its messages
 * come from; {@link dev.tandem.sip.stack.Source} is where a request came from.
 *
 * <p>Threading: JAIN-SIP delivers messages on its own thread pool (re-entrant listener); handlers
 * must not block and must not assume one thread per call.
 */
package dev.tandem.sip.stack;

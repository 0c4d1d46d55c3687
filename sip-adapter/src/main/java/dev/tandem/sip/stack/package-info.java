/**
 * The JAIN-SIP stack and its listening points, and the one listener that turns every incoming SIP
 * message into a call to the handler for its method.
 *
 * <p>Threading: JAIN-SIP delivers messages on its own thread pool (re-entrant listener); handlers
 * must not block and must not assume one thread per call.
 */
package dev.tandem.sip.stack;

/**
 * What arrives on the SIP wire before it becomes a request: the parser hook that notes a foreign
 * SIP version and duplicated headers ({@link dev.tandem.sip.wire.ScreeningParser}), the stack's
 * message processors ({@link dev.tandem.sip.wire.ProcessorFactory}: UDP into one buffer, TCP and
 * TLS blocking, capped), and the one rate-limited log for bad input ({@link
 * dev.tandem.sip.wire.WireLog}), which JAIN-SIP's own logging goes through as well ({@link
 * dev.tandem.sip.wire.JainSipLogger}).
 *
 * <p>JAIN-SIP builds its plug-ins from class names with no-argument constructors, so each finds the
 * objects of its stack through {@link dev.tandem.sip.wire.StackHooks}, keyed by stack name.
 *
 * <p>Threading: UDP datagrams are read by one thread per listen point and handed to the stack's UDP
 * message threads; each TCP or TLS connection has its own reader thread (JAIN-SIP's blocking
 * processors). {@link dev.tandem.sip.wire.WireLog} is thread-safe.
 */
package dev.tandem.sip.wire;

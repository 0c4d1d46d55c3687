/**
 * What arrives on the SIP wire before it becomes a request: the parser hook that notes a foreign
 * SIP version and duplicated headers ({@link dev.tandem.sip.wire.ScreeningParser}), the caps and
 * timeouts of accepted TCP connections ({@link dev.tandem.sip.wire.ConnectionGuard} and the NIO
 * processors of {@link dev.tandem.sip.wire.GuardedProcessorFactory}), and the one rate-limited log
 * for bad input ({@link dev.tandem.sip.wire.WireLog}), which JAIN-SIP's own logging goes through as
 * well ({@link dev.tandem.sip.wire.JainSipLogger}).
 *
 * <p>JAIN-SIP builds its plug-ins from class names with no-argument constructors, so each finds the
 * objects of its stack through {@link dev.tandem.sip.wire.StackHooks}, keyed by stack name.
 *
 * <p>Threading: TCP messages are read by the listen point's one NIO selector thread and parsed and
 * handed to the listener on JAIN-SIP's AffinityJAIN pool; UDP on the stack's UDP threads. {@link
 * dev.tandem.sip.wire.WireLog} and {@link dev.tandem.sip.wire.ConnectionGuard} are thread-safe.
 */
package dev.tandem.sip.wire;

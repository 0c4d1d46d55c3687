/**
 * Inbound routing and trust: which browser users an INVITE from SIP rings ({@link InboundTable}:
 * called numbers, normalised by a {@link NumberPlan}, to a user or a ring group), and who may ring
 * them at all ({@link InboundPolicy}: a destination's trusted sources, registered phones,
 * authenticated callers). Pure rules, no I/O: the SIP adapter hands in the Request-URI user and the
 * source address, core decides.
 */
package dev.tandem.core.inbound;

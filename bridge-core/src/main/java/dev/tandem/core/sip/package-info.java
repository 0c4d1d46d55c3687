/**
 * The SIP port: what core asks of the SIP B2BUA (place and end SIP legs) and what it is told
 * (provisional and final responses, BYE, CANCEL, inbound INVITEs). No JAIN-SIP type crosses it.
 */
package dev.tandem.core.sip;

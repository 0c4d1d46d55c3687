/**
 * STUN (RFC 8489) as an ICE-lite relay needs it: reading a datagram into a {@link
 * dev.tandem.media.stun.StunMessage} with every length checked, MESSAGE-INTEGRITY with a short-term
 * key and FINGERPRINT, and writing responses ({@link dev.tandem.media.stun.StunWriter}). Tested
 * with the RFC 5769 vectors.
 */
package dev.tandem.media.stun;

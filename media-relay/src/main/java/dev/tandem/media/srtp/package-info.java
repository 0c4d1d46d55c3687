/**
 * SRTP and SRTCP (RFC 3711) with the AES-CM/HMAC-SHA1 profiles DTLS-SRTP negotiates (RFC 5764): key
 * derivation, per-SSRC rollover counters and replay windows, in-place protect/unprotect with no
 * allocation per packet ({@link dev.tandem.media.srtp.SrtpContext}). Built on the JDK's AES and
 * HMAC; checked against RFC 3711 Appendix B and libsrtp's packet vectors. AEAD_AES_128_GCM (RFC
 * 7714) is not here yet.
 */
package dev.tandem.media.srtp;

/**
 * DTLS-SRTP (RFC 5764) on Bouncy Castle's DTLS 1.2: the relay's self-signed ECDSA certificate and
 * its fingerprint ({@link dev.tandem.media.dtls.DtlsCertificate}), the handshake in either role
 * with both certificates checked against the SDP fingerprints and use_srtp negotiated ({@link
 * dev.tandem.media.dtls.DtlsSrtp}), the exported SRTP keys ({@link
 * dev.tandem.media.dtls.DtlsSrtpKeys}), and the bounded threads the blocking handshakes run on
 * ({@link dev.tandem.media.dtls.DtlsHandshakes}).
 */
package dev.tandem.media.dtls;

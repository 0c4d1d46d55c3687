/**
 * rtpengine's NG control protocol: {@code <cookie> <bencoded dictionary>} over UDP. {@link
 * dev.tandem.media.rtpengine.Bencode} is the encoding, {@link dev.tandem.media.rtpengine.NgClient}
 * the transport (cookies, retransmission, timeouts, typed errors).
 */
package dev.tandem.media.rtpengine;

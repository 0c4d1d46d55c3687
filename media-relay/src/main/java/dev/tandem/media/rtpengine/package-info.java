/**
 * rtpengine as the media backend. {@link dev.tandem.media.rtpengine.Bencode} is the encoding of its
 * NG control protocol ({@code <cookie> <bencoded dictionary>} over UDP), {@link
 * dev.tandem.media.rtpengine.NgClient} the transport (cookies, retransmission, timeouts, typed
 * errors), {@link dev.tandem.media.rtpengine.NgFlags} the one place that says how rtpengine
 * rewrites SDP for each side (with {@link dev.tandem.media.rtpengine.SipSdpTrim} for what rtpengine
 * 10.5 has no flag for, and {@link dev.tandem.media.rtpengine.RefusedMedia} for the m-lines it must
 * not carry), {@link dev.tandem.media.rtpengine.FeedbackGap} when the browser's key-frame requests
 * cannot reach the SIP side, {@link dev.tandem.media.rtpengine.RtpenginePool} the instances and
 * which of them answer, and {@link dev.tandem.media.rtpengine.RtpengineBackend} the calls: which
 * instance holds each, their tags, and the delete that frees them.
 */
package dev.tandem.media.rtpengine;

/**
 * The SDP grammar (RFC 8866) and nothing of WebRTC: one immutable record per line type ({@link
 * dev.tandem.sdp.Origin}, {@link dev.tandem.sdp.Connection}, {@link dev.tandem.sdp.MediaLine}, ...)
 * and per attribute the bridge reasons about ({@link dev.tandem.sdp.Rtpmap}, {@link
 * dev.tandem.sdp.Candidate}, {@link dev.tandem.sdp.Fingerprint}, ...), a parser ({@link
 * dev.tandem.sdp.SdpParser}) whose Javadoc says what is strict and what is lenient, and a
 * serializer ({@link dev.tandem.sdp.SessionDescription#toString}) that gives back what was parsed.
 *
 * <p>Attributes are stored as text and read through typed views on demand; the attributes a call
 * depends on are checked when they are created, so a typed view of an existing attribute never
 * fails. Every failure to read is one {@link dev.tandem.sdp.SdpParseException} naming the line.
 * SDES keys ({@link dev.tandem.sdp.SdesKey}, RFC 4568) are read from {@link dev.tandem.sdp.Crypto}
 * lines here too, and neither ever prints its key. Thread-safe: everything here is immutable.
 */
package dev.tandem.sdp;

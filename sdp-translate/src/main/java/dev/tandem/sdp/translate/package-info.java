/**
 * Offer/answer rules (RFC 3264, {@link dev.tandem.sdp.translate.OfferAnswer}) and the translation
 * between the WebRTC and the plain RTP form of SDP for a relay in the middle ({@link
 * dev.tandem.sdp.translate.SdpTranslator}): pure functions from a description and the relay
 * endpoint's parameters to a new description and a {@link dev.tandem.sdp.translate.PayloadTypeMap}.
 * Which codecs cross is decided in one place, {@link dev.tandem.sdp.translate.CodecPolicy}; which
 * RTCP feedback, in {@link dev.tandem.sdp.translate.RtcpFeedback}; when two formats are the same
 * codec (H.264 profile and packetization-mode, {@link
 * dev.tandem.sdp.translate.H264ProfileLevelId}), in {@code FormatIdentity}; where the carried audio
 * and video go in a re-offer, in {@code MediaLayout}; late ICE candidates are merged by {@link
 * dev.tandem.sdp.translate.Trickle}; SDES-SRTP's offer/answer rules by {@link
 * dev.tandem.sdp.translate.MediaEncryption} policy live in {@link dev.tandem.sdp.translate.Sdes}.
 */
package dev.tandem.sdp.translate;

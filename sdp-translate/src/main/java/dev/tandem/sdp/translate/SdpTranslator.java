package dev.tandem.sdp.translate;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.Fmtp;
import dev.tandem.sdp.Group;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.MediaLine;
import dev.tandem.sdp.Rtcp;
import dev.tandem.sdp.SdesKey;
import dev.tandem.sdp.SessionDescription;
import dev.tandem.sdp.Setup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates between the WebRTC form of SDP (ICE, DTLS-SRTP, BUNDLE, rtcp-mux) and the plain RTP
 * form SIP endpoints use, for a relay that sits in the middle. Pure functions: each takes a
 * description and the relay endpoint's parameters and returns a new description; nothing is
 * remembered between calls.
 *
 * <p>The bridge carries one audio stream. A translated offer holds just that stream; other streams
 * (video, data channels, extra audio) never reach the other side and are refused (port 0, RFC 3264
 * §6) in the answer, which keeps the original offer's m-line order and mids.
 *
 * <p>What the relay announces is written in one place each: {@link #plainAudio} builds the plain
 * section from scratch (so ICE, DTLS, rtcp-mux, mid, extmap, ssrc, msid and rtcp-fb never leak to
 * SIP), {@link #webRtcAudio} builds the WebRTC section (so nothing of the SIP side's transport
 * leaks to the browser).
 */
public final class SdpTranslator {
  static final String WEBRTC_PROTO = "UDP/TLS/RTP/SAVPF";
  static final String PLAIN_PROTO = "RTP/AVP";
  static final String OFFER_MID = "0";

  private final CodecPolicy towardPlain;
  private final CodecPolicy towardBrowser = CodecPolicy.towardBrowser();

  public SdpTranslator(TranslationOptions options) {
    this.towardPlain = CodecPolicy.towardPlain(options.opusTowardSip());
  }

  // ---- browser -> SIP call

  /** A browser's offer, made into a plain {@code RTP/AVP} offer for the SIP side. */
  public Translation toPlainOffer(SessionDescription webRtcOffer, PlainEndpoint relay)
      throws SdpTranslationException {
    return toPlainOffer(webRtcOffer, relay, List.of());
  }

  /**
   * A browser's offer, made into the offer for the SIP side, audio to {@code relay.audio()} and
   * video (when the offer has it and {@code relay.video()} is there) to {@code relay.video()}.
   */
  public Translation toPlainOffer(
      SessionDescription webRtcOffer, PlainMedia relay, List<SdesKey> sdes)
      throws SdpTranslationException {
    return toPlainOffer(webRtcOffer, relay.audio(), sdes);
  }

  /**
   * A browser's offer, made into the offer for the SIP side: {@code RTP/SAVP} with one {@code
   * a=crypto} line per key of {@code sdes} (RFC 4568), or {@code RTP/AVP} when it is empty.
   */
  public Translation toPlainOffer(
      SessionDescription webRtcOffer, PlainEndpoint relay, List<SdesKey> sdes)
      throws SdpTranslationException {
    MediaDescription audio = webRtcOffer.media().get(carried(webRtcOffer, "offer"));
    List<Integer> kept = OfferAnswer.acceptedPayloadTypes(audio, towardPlain);
    if (kept.isEmpty()) {
      throw noCodec("a SIP endpoint", audio, towardPlain);
    }
    Direction direction = OfferAnswer.effectiveDirection(webRtcOffer, audio);
    MediaDescription section =
        plainAudio(
            sdes.isEmpty() ? PLAIN_PROTO : Sdes.SAVP,
            relay,
            codecAttributes(audio, kept, identity(kept)),
            audio,
            direction,
            false,
            sdes);
    return new Translation(plainSession(webRtcOffer, relay, List.of(section)), identityMap(kept));
  }

  /**
   * The SIP side's answer to {@link #toPlainOffer}, made into the answer for the browser: every
   * m-line of the browser's offer in place, the carried audio with the relay's ICE and DTLS, the
   * rest refused.
   */
  public Translation toWebRtcAnswer(
      SessionDescription plainAnswer, SessionDescription webRtcOffer, WebRtcEndpoint relay)
      throws SdpTranslationException {
    int index = carried(webRtcOffer, "offer");
    MediaDescription offered = webRtcOffer.media().get(index);
    MediaDescription answered = onlyAudio(plainAnswer);
    List<MediaDescription> sections = new ArrayList<>();
    Map<Integer, Integer> browserToSip = new LinkedHashMap<>();
    for (int i = 0; i < webRtcOffer.media().size(); i++) {
      MediaDescription m = webRtcOffer.media().get(i);
      if (i != index || answered.isRejected()) {
        sections.add(OfferAnswer.reject(m));
        continue;
      }
      List<OfferAnswer.CodecMatch> matches = passing(offered, answered, towardPlain);
      matches.forEach(c -> browserToSip.put(c.offerPayloadType(), c.answerPayloadType()));
      Setup offeredSetup =
          webRtcOffer.mediaOrSession(m, Setup.NAME).map(Setup::parse).orElse(Setup.ACTPASS);
      sections.add(
          webRtcAudio(
              m.media().proto(),
              relay,
              relay.setupAnswering(offeredSetup),
              m.mid().orElse(OFFER_MID),
              codecAttributes(answered, answerPayloadTypes(matches), renumber(matches)),
              answered,
              OfferAnswer.effectiveDirection(plainAnswer, answered)));
    }
    List<String> accepted =
        sections.stream().filter(s -> !s.isRejected()).map(s -> s.mid().orElse(OFFER_MID)).toList();
    boolean bundle = webRtcOffer.bundle().isPresent();
    return new Translation(
        webRtcSession(
            plainAnswer, relay, bundle ? Optional.of(accepted) : Optional.empty(), sections),
        new PayloadTypeMap(browserToSip));
  }

  // ---- SIP -> browser call

  /**
   * A SIP side's offer, made into the offer for the browser; its video m-line too when {@code
   * video} (else refused in the answer).
   */
  public Translation toWebRtcOffer(
      SessionDescription plainOffer, WebRtcEndpoint relay, boolean video)
      throws SdpTranslationException {
    return toWebRtcOffer(plainOffer, relay);
  }

  /** A SIP side's offer, made into the offer for the browser. */
  public Translation toWebRtcOffer(SessionDescription plainOffer, WebRtcEndpoint relay)
      throws SdpTranslationException {
    MediaDescription audio = plainOffer.media().get(carried(plainOffer, "offer"));
    List<Integer> kept = OfferAnswer.acceptedPayloadTypes(audio, towardBrowser);
    if (kept.isEmpty()) {
      throw noCodec("a browser", audio, towardBrowser);
    }
    MediaDescription section =
        webRtcAudio(
            WEBRTC_PROTO,
            relay,
            Setup.ACTPASS,
            OFFER_MID,
            codecAttributes(audio, kept, identity(kept)),
            audio,
            OfferAnswer.effectiveDirection(plainOffer, audio));
    return new Translation(
        webRtcSession(plainOffer, relay, Optional.of(List.of(OFFER_MID)), List.of(section)),
        identityMap(kept));
  }

  /**
   * The browser's answer to {@link #toWebRtcOffer}, made into the answer for the SIP side: every
   * m-line of the SIP offer in place, the carried audio on the relay's plain address, the rest
   * refused.
   */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer, SessionDescription plainOffer, PlainEndpoint relay)
      throws SdpTranslationException {
    return toPlainAnswer(webRtcAnswer, plainOffer, relay, Optional.empty());
  }

  /** As below, audio answered on {@code relay.audio()}, video on {@code relay.video()}. */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer,
      SessionDescription plainOffer,
      PlainMedia relay,
      Optional<SdesKey> sdes)
      throws SdpTranslationException {
    return toPlainAnswer(webRtcAnswer, plainOffer, relay.audio(), sdes);
  }

  /**
   * As {@link #toPlainAnswer(SessionDescription, SessionDescription, PlainEndpoint)}, with {@code
   * sdes}, our key for an {@code RTP/SAVP(F)} offer (under the tag of the offer's line it accepts,
   * see {@link Sdes#acceptOffer}). A secure offer is never answered without one.
   */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer,
      SessionDescription plainOffer,
      PlainEndpoint relay,
      Optional<SdesKey> sdes)
      throws SdpTranslationException {
    int index = carried(plainOffer, "offer");
    MediaDescription offered = plainOffer.media().get(index);
    MediaDescription answered = onlyAudio(webRtcAnswer);
    List<MediaDescription> sections = new ArrayList<>();
    Map<Integer, Integer> browserToSip = new LinkedHashMap<>();
    for (int i = 0; i < plainOffer.media().size(); i++) {
      MediaDescription m = plainOffer.media().get(i);
      if (i != index || answered.isRejected()) {
        sections.add(OfferAnswer.reject(m));
        continue;
      }
      if (Sdes.isSecure(m.media().proto()) != sdes.isPresent()) {
        throw new SdpTranslationException(
            sdes.isPresent()
                ? "an SDES key for a plain " + m.media().proto() + " offer"
                : m.media().proto() + " offered, but no SDES key to answer it with");
      }
      List<OfferAnswer.CodecMatch> matches = passing(offered, answered, towardBrowser);
      matches.forEach(c -> browserToSip.put(c.answerPayloadType(), c.offerPayloadType()));
      sections.add(
          plainAudio(
              m.media().proto(),
              relay,
              codecAttributes(answered, answerPayloadTypes(matches), renumber(matches)),
              answered,
              OfferAnswer.effectiveDirection(webRtcAnswer, answered),
              m.rtcpMux(),
              sdes.map(List::of).orElse(List.of())));
    }
    return new Translation(
        plainSession(webRtcAnswer, relay, sections), new PayloadTypeMap(browserToSip));
  }

  // ---- the two section builders: the only places that write transport attributes

  /**
   * A plain RTP audio section: codecs, packetization, direction, where RTCP goes (RFC 3605) and the
   * SDES keys of an {@code RTP/SAVP(F)} section (RFC 4568), nothing else.
   *
   * @param codecs m-line formats and their rtpmap/fmtp attributes, already numbered for this side
   * @param muxOffered whether the offer this answers had {@code a=rtcp-mux}
   */
  private static MediaDescription plainAudio(
      String proto,
      PlainEndpoint relay,
      Codecs codecs,
      MediaDescription source,
      Direction direction,
      boolean muxOffered,
      List<SdesKey> sdes) {
    List<Attribute> attrs = new ArrayList<>(codecs.attributes());
    sdes.forEach(k -> attrs.add(k.toCrypto().toAttribute()));
    packetization(source, attrs);
    attrs.add(direction.toAttribute());
    if (relay.rtcpMux() && muxOffered) {
      attrs.add(Attribute.property("rtcp-mux"));
    } else {
      attrs.add(new Rtcp(relay.rtcpPort(), Optional.empty()).toAttribute());
    }
    return MediaDescription.of(
        new MediaLine("audio", relay.rtpPort(), OptionalInt.empty(), proto, codecs.formats()),
        attrs);
  }

  /**
   * A WebRTC audio section for an ICE-lite relay: mid, ICE credentials, DTLS fingerprint and role,
   * rtcp-mux (RFC 8829 §5.2.1 requires it), codecs, direction, the relay's candidates and
   * end-of-candidates (RFC 8838 §8.2: an ICE-lite agent has no more to trickle).
   */
  private static MediaDescription webRtcAudio(
      String proto,
      WebRtcEndpoint relay,
      Setup setup,
      String mid,
      Codecs codecs,
      MediaDescription source,
      Direction direction) {
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(Attribute.of("mid", mid));
    attrs.add(Attribute.of("ice-ufrag", relay.iceUfrag()));
    attrs.add(Attribute.of("ice-pwd", relay.icePwd()));
    attrs.add(relay.fingerprint().toAttribute());
    attrs.add(setup.toAttribute());
    attrs.add(Attribute.property("rtcp-mux"));
    attrs.add(direction.toAttribute());
    attrs.addAll(codecs.attributes());
    packetization(source, attrs);
    relay.candidates().forEach(c -> attrs.add(c.toAttribute()));
    attrs.add(Attribute.property("end-of-candidates"));
    return MediaDescription.of(
        new MediaLine("audio", relay.port(), OptionalInt.empty(), proto, codecs.formats()), attrs);
  }

  private static void packetization(MediaDescription source, List<Attribute> attrs) {
    source.ptime().ifPresent(p -> attrs.add(Attribute.of("ptime", Integer.toString(p))));
    source.maxptime().ifPresent(p -> attrs.add(Attribute.of("maxptime", Integer.toString(p))));
  }

  private static SessionDescription plainSession(
      SessionDescription source, PlainEndpoint relay, List<MediaDescription> media) {
    Connection c = Connection.of(relay.address());
    return SessionDescription.of(source.origin().withAddress(c), Optional.of(c), List.of(), media);
  }

  private static SessionDescription webRtcSession(
      SessionDescription source,
      WebRtcEndpoint relay,
      Optional<List<String>> bundle,
      List<MediaDescription> media) {
    Connection c = Connection.of(relay.address());
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(Attribute.property("ice-lite"));
    bundle.ifPresent(mids -> attrs.add(new Group(Group.BUNDLE, mids).toAttribute()));
    return SessionDescription.of(source.origin().withAddress(c), Optional.of(c), attrs, media);
  }

  // ---- codecs

  /** The formats of an m-line and the rtpmap/fmtp attributes that describe them. */
  private record Codecs(List<String> formats, List<Attribute> attributes) {}

  /**
   * The rtpmap and fmtp of {@code payloadTypes} in {@code source}, numbered through {@code number}
   * (source payload type → the number this side uses).
   */
  private static Codecs codecAttributes(
      MediaDescription source, List<Integer> payloadTypes, Map<Integer, Integer> number) {
    Map<Integer, Codec> codecs = source.codecs();
    Map<String, Fmtp> fmtps = source.fmtpsByFormat();
    Set<Integer> mapped = source.rtpmapsByPayloadType().keySet();
    List<String> formats = new ArrayList<>(payloadTypes.size());
    List<Attribute> attrs = new ArrayList<>();
    for (int pt : payloadTypes) {
      int out = number.get(pt);
      String in = Integer.toString(pt);
      formats.add(Integer.toString(out));
      if (mapped.contains(pt) || out >= 96) {
        attrs.add(codecs.get(pt).toRtpmap(out).toAttribute());
      }
      Fmtp fmtp = fmtps.get(in);
      if (fmtp != null) {
        attrs.add(fmtp.withFormat(Integer.toString(out)).toAttribute());
      }
    }
    return new Codecs(formats, attrs);
  }

  /** The codecs of an answer that were offered and may cross, in the answer's order. */
  private static List<OfferAnswer.CodecMatch> passing(
      MediaDescription offer, MediaDescription answer, CodecPolicy policy)
      throws SdpTranslationException {
    List<OfferAnswer.CodecMatch> matches =
        OfferAnswer.matchCodecs(offer, answer).stream()
            .filter(c -> policy.test(c.codec()))
            .toList();
    if (matches.stream().allMatch(c -> c.codec().isTelephoneEvent())) {
      throw new SdpTranslationException(
          "the answer accepts none of the offered codecs (answered: " + describe(answer) + ")");
    }
    return matches;
  }

  private static List<Integer> answerPayloadTypes(List<OfferAnswer.CodecMatch> matches) {
    return matches.stream().map(OfferAnswer.CodecMatch::answerPayloadType).toList();
  }

  /** Answer payload type → offer payload type: answers are renumbered into the offer's numbers. */
  private static Map<Integer, Integer> renumber(List<OfferAnswer.CodecMatch> matches) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (OfferAnswer.CodecMatch c : matches) {
      out.put(c.answerPayloadType(), c.offerPayloadType());
    }
    return out;
  }

  private static Map<Integer, Integer> identity(List<Integer> payloadTypes) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    payloadTypes.forEach(pt -> out.put(pt, pt));
    return out;
  }

  private static PayloadTypeMap identityMap(List<Integer> payloadTypes) {
    return new PayloadTypeMap(identity(payloadTypes));
  }

  // ---- checks

  private static int carried(SessionDescription sdp, String what) throws SdpTranslationException {
    OptionalInt index = OfferAnswer.carriedAudio(sdp);
    if (index.isEmpty()) {
      throw new SdpTranslationException(
          "the "
              + what
              + " has no audio m-line over RTP with a port (m-lines: "
              + sdp.media().stream().map(m -> m.media().toValue()).collect(Collectors.joining("; "))
              + ")");
    }
    return index.getAsInt();
  }

  /** The answer to a translated offer: exactly the one audio section that was offered. */
  private static MediaDescription onlyAudio(SessionDescription answer)
      throws SdpTranslationException {
    if (answer.media().size() != 1 || !answer.media().get(0).media().media().equals("audio")) {
      throw new SdpTranslationException(
          "the answer must have exactly the one audio m-line that was offered, it has "
              + answer.media().size()
              + " m-lines");
    }
    return answer.media().get(0);
  }

  private static SdpTranslationException noCodec(
      String toward, MediaDescription offered, CodecPolicy policy) {
    return new SdpTranslationException(
        "no offered codec can go to "
            + toward
            + " without transcoding (offered: "
            + describe(offered)
            + "; possible: "
            + policy.codecs().stream().map(Codec::toString).collect(Collectors.joining(", "))
            + ")");
  }

  private static String describe(MediaDescription m) {
    Map<Integer, Codec> codecs = m.codecs();
    List<String> names = new ArrayList<>();
    for (int pt : m.payloadTypes()) {
      names.add(codecs.containsKey(pt) ? codecs.get(pt).toString() : Integer.toString(pt));
    }
    return String.join(", ", names);
  }
}

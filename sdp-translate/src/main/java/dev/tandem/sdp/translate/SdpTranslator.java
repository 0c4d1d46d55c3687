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
import java.util.HashSet;
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
 * remembered between calls (a re-offer is given the previous description of the side it goes to).
 *
 * <p>The bridge carries one audio stream and at most one video stream: the first audio and the
 * first video m-line over RTP with a port (see {@link OfferAnswer#carriedAudio}). Other streams
 * (data channels, extra audio or video) never reach the other side and are refused (port 0, RFC
 * 3264 §6) in the answer, which keeps the original offer's m-line order and mids.
 *
 * <p>Video toward SIP is written {@code RTP/AVP}, with the {@code a=rtcp-fb} lines the relay can
 * honour ({@link RtcpFeedback}) kept beside it, not {@code RTP/AVPF}: an AVP-only phone (Polycom,
 * Cisco, Yealink by default) refuses an AVPF offer outright (RFC 5124 profiles do not mix), while
 * the AVPF-aware ones (baresip, linphone, Jitsi) read rtcp-fb under AVP and use it, as linphone's
 * own offers do. Audio and video get separate ports toward SIP (no BUNDLE there, no mid); toward
 * the browser both m-lines share the relay's one bundled port, so video needs an offer that bundles
 * it with the audio (RFC 8843). Video is refused in place (port 0) while the audio runs on when the
 * call has no video port ({@link PlainMedia#video()} empty, or {@code video} false), the SIP side
 * protects media with SDES (one SRTP context per call: video over {@code RTP/SAVP} is refused, and
 * an SDES offer carries no video), or no video codec is common ({@link CodecPolicy#video()}).
 *
 * <p>What the relay announces is written in one place each: {@link #plainSection} builds a plain
 * section from scratch (so ICE, DTLS, rtcp-mux, mid, extmap, ssrc, msid and browser-only rtcp-fb
 * never leak to SIP), {@link #webRtcSection} builds a WebRTC section (so nothing of the SIP side's
 * transport leaks to the browser).
 */
public final class SdpTranslator {
  static final String WEBRTC_PROTO = "UDP/TLS/RTP/SAVPF";
  static final String PLAIN_PROTO = "RTP/AVP";
  static final String PLAIN_FEEDBACK_PROTO = "RTP/AVPF";
  static final String OFFER_MID = "0";

  private final CodecPolicy towardPlain;
  private final CodecPolicy towardBrowser = CodecPolicy.towardBrowser();
  private final CodecPolicy video = CodecPolicy.video();

  public SdpTranslator(TranslationOptions options) {
    this.towardPlain = CodecPolicy.towardPlain(options.opusTowardSip());
  }

  // ---- browser -> SIP call

  /** A browser's offer, made into a plain {@code RTP/AVP} audio offer for the SIP side. */
  public Translation toPlainOffer(SessionDescription webRtcOffer, PlainEndpoint relay)
      throws SdpTranslationException {
    return toPlainOffer(webRtcOffer, PlainMedia.audioOnly(relay), List.of(), Optional.empty());
  }

  /**
   * A browser's offer, made into the audio offer for the SIP side: {@code RTP/SAVP} with one {@code
   * a=crypto} line per key of {@code sdes} (RFC 4568), or {@code RTP/AVP} when it is empty.
   */
  public Translation toPlainOffer(
      SessionDescription webRtcOffer, PlainEndpoint relay, List<SdesKey> sdes)
      throws SdpTranslationException {
    return toPlainOffer(webRtcOffer, PlainMedia.audioOnly(relay), sdes, Optional.empty());
  }

  /** An initial offer: {@link #toPlainOffer(SessionDescription, PlainMedia, List, Optional)}. */
  public Translation toPlainOffer(
      SessionDescription webRtcOffer, PlainMedia relay, List<SdesKey> sdes)
      throws SdpTranslationException {
    return toPlainOffer(webRtcOffer, relay, sdes, Optional.empty());
  }

  /**
   * A browser's offer, made into the offer for the SIP side: audio to {@code relay.audio()}, and
   * video (when the offer bundles a video m-line with a common codec, {@code relay.video()} is
   * there and {@code sdes} is empty) to {@code relay.video()}.
   *
   * @param sdes keys for an {@code RTP/SAVP} audio offer (RFC 4568), empty for {@code RTP/AVP}
   * @param previousSipSide for a re-offer, the SIP side's description of the last exchange (offer
   *     or answer): its m-lines are kept in place and order (RFC 3264 §8), the streams no longer
   *     carried at port 0, a video stream the call did not have yet appended
   */
  public Translation toPlainOffer(
      SessionDescription webRtcOffer,
      PlainMedia relay,
      List<SdesKey> sdes,
      Optional<SessionDescription> previousSipSide)
      throws SdpTranslationException {
    MediaDescription audio = webRtcOffer.media().get(carried(webRtcOffer, "offer"));
    List<Integer> kept = OfferAnswer.acceptedPayloadTypes(audio, towardPlain);
    if (kept.isEmpty()) {
      throw noCodec("a SIP endpoint", audio, towardPlain);
    }
    MediaDescription audioSection =
        plainSection(
            sdes.isEmpty() ? PLAIN_PROTO : Sdes.SAVP,
            relay.audio(),
            codecAttributes(audio, kept, identity(kept)),
            List.of(),
            audio,
            OfferAnswer.effectiveDirection(webRtcOffer, audio),
            false,
            sdes);
    Optional<MediaDescription> videoSection = Optional.empty();
    List<Integer> videoKept = List.of();
    OptionalInt v = browserVideo(webRtcOffer);
    if (v.isPresent() && relay.video().isPresent() && sdes.isEmpty()) {
      MediaDescription offered = webRtcOffer.media().get(v.getAsInt());
      videoKept = OfferAnswer.acceptedPayloadTypes(offered, video);
      if (!videoKept.isEmpty()) {
        Map<Integer, Integer> same = identity(videoKept);
        videoSection =
            Optional.of(
                located(
                    plainSection(
                        PLAIN_PROTO,
                        relay.video().get(),
                        codecAttributes(offered, videoKept, same),
                        RtcpFeedback.towardPlain(offered, same),
                        offered,
                        OfferAnswer.effectiveDirection(webRtcOffer, offered),
                        false,
                        List.of()),
                    relay.video().get(),
                    relay.audio()));
      }
    }
    List<MediaDescription> sections =
        MediaLayout.arrange(previousSipSide, audioSection, videoSection);
    return new Translation(
        plainSession(webRtcOffer, relay.audio(), sections),
        identityMap(kept),
        videoSection.isPresent() ? identityMap(videoKept) : identityMap(List.of()));
  }

  /**
   * The SIP side's answer to {@link #toPlainOffer}, made into the answer for the browser: every
   * m-line of the browser's offer in place, the carried audio and video with the relay's ICE and
   * DTLS (the same for both: they are bundled), the rest refused. Video the SIP side refused, or
   * answered with no offered codec, is refused; the audio runs on.
   */
  public Translation toWebRtcAnswer(
      SessionDescription plainAnswer, SessionDescription webRtcOffer, WebRtcEndpoint relay)
      throws SdpTranslationException {
    int index = carried(webRtcOffer, "offer");
    MediaDescription offered = webRtcOffer.media().get(index);
    MediaDescription answered = answeredAudio(plainAnswer);
    OptionalInt videoIndex = browserVideo(webRtcOffer);
    Optional<MediaDescription> answeredVideo = carriedVideo(plainAnswer);
    List<MediaDescription> sections = new ArrayList<>();
    Map<Integer, Integer> browserToSip = new LinkedHashMap<>();
    Map<Integer, Integer> videoBrowserToSip = new LinkedHashMap<>();
    for (int i = 0; i < webRtcOffer.media().size(); i++) {
      MediaDescription m = webRtcOffer.media().get(i);
      Setup setup =
          relay.setupAnswering(
              webRtcOffer.mediaOrSession(m, Setup.NAME).map(Setup::parse).orElse(Setup.ACTPASS));
      if (answered.isRejected()) {
        sections.add(OfferAnswer.reject(m));
      } else if (i == index) {
        List<OfferAnswer.CodecMatch> matches = passing(offered, answered, towardPlain);
        matches.forEach(c -> browserToSip.put(c.offerPayloadType(), c.answerPayloadType()));
        sections.add(
            webRtcSection(
                m.media().proto(),
                relay,
                setup,
                m.mid().orElse(OFFER_MID),
                codecAttributes(answered, answerPayloadTypes(matches), renumber(matches)),
                List.of(),
                answered,
                OfferAnswer.effectiveDirection(plainAnswer, answered)));
      } else if (videoIndex.equals(OptionalInt.of(i)) && answeredVideo.isPresent()) {
        MediaDescription sip = answeredVideo.get();
        List<OfferAnswer.CodecMatch> matches = videoMatches(m, sip);
        if (matches.isEmpty()) {
          sections.add(OfferAnswer.reject(m));
          continue;
        }
        matches.forEach(c -> videoBrowserToSip.put(c.offerPayloadType(), c.answerPayloadType()));
        Map<Integer, Integer> number = renumber(matches);
        sections.add(
            webRtcSection(
                m.media().proto(),
                relay,
                setup,
                m.mid().orElse(OFFER_MID),
                codecAttributes(sip, answerPayloadTypes(matches), number),
                RtcpFeedback.towardBrowser(sip, number),
                sip,
                OfferAnswer.answerDirection(
                    OfferAnswer.effectiveDirection(webRtcOffer, m),
                    OfferAnswer.effectiveDirection(plainAnswer, sip))));
      } else {
        sections.add(OfferAnswer.reject(m));
      }
    }
    boolean bundle = webRtcOffer.bundle().isPresent();
    return new Translation(
        webRtcSession(
            plainAnswer,
            relay,
            bundle ? Optional.of(accepted(sections)) : Optional.empty(),
            sections),
        new PayloadTypeMap(browserToSip),
        new PayloadTypeMap(videoBrowserToSip));
  }

  // ---- SIP -> browser call

  /** A SIP side's offer, made into the offer for the browser, without video. */
  public Translation toWebRtcOffer(SessionDescription plainOffer, WebRtcEndpoint relay)
      throws SdpTranslationException {
    return toWebRtcOffer(plainOffer, relay, false, Optional.empty());
  }

  /**
   * An initial offer: {@link #toWebRtcOffer(SessionDescription, WebRtcEndpoint, boolean,
   * Optional)}.
   */
  public Translation toWebRtcOffer(
      SessionDescription plainOffer, WebRtcEndpoint relay, boolean video)
      throws SdpTranslationException {
    return toWebRtcOffer(plainOffer, relay, video, Optional.empty());
  }

  /**
   * A SIP side's offer, made into the offer for the browser: audio (mid {@code 0}) and, when {@code
   * video} and the SIP offer has a plain video m-line with a common codec, video (mid {@code 1}),
   * bundled on the relay's port. Video payload types are renumbered where they clash with the
   * audio's (RFC 8843 §9.1: payload types are unique across a BUNDLE group, and the relay sorts the
   * browser's packets by them).
   *
   * @param previousBrowserSide for a re-offer, the browser side's description of the last exchange
   *     (offer or answer): its m-lines and mids are kept in place and order (JSEP §5.2.2; browsers
   *     refuse a re-offer that drops or moves one), the streams no longer carried at port 0, a
   *     video stream the call did not have yet appended with a new mid
   */
  public Translation toWebRtcOffer(
      SessionDescription plainOffer,
      WebRtcEndpoint relay,
      boolean video,
      Optional<SessionDescription> previousBrowserSide)
      throws SdpTranslationException {
    MediaDescription audio = plainOffer.media().get(carried(plainOffer, "offer"));
    List<Integer> kept = OfferAnswer.acceptedPayloadTypes(audio, towardBrowser);
    if (kept.isEmpty()) {
      throw noCodec("a browser", audio, towardBrowser);
    }
    MediaDescription audioSection =
        webRtcSection(
            WEBRTC_PROTO,
            relay,
            Setup.ACTPASS,
            MediaLayout.audioMid(previousBrowserSide),
            codecAttributes(audio, kept, identity(kept)),
            List.of(),
            audio,
            OfferAnswer.effectiveDirection(plainOffer, audio));
    Optional<MediaDescription> videoSection = Optional.empty();
    Map<Integer, Integer> number = Map.of();
    OptionalInt v = sipVideo(plainOffer);
    if (video && v.isPresent()) {
      MediaDescription offered = plainOffer.media().get(v.getAsInt());
      number = browserVideoNumbers(audio, offered);
      if (!number.isEmpty()) {
        videoSection =
            Optional.of(
                webRtcSection(
                    WEBRTC_PROTO,
                    relay,
                    Setup.ACTPASS,
                    MediaLayout.videoMid(previousBrowserSide),
                    codecAttributes(offered, List.copyOf(number.keySet()), number),
                    RtcpFeedback.towardBrowser(offered, number),
                    offered,
                    OfferAnswer.effectiveDirection(plainOffer, offered)));
      }
    }
    List<MediaDescription> sections =
        MediaLayout.arrange(previousBrowserSide, audioSection, videoSection);
    return new Translation(
        webRtcSession(plainOffer, relay, Optional.of(accepted(sections)), sections),
        identityMap(kept),
        new PayloadTypeMap(inverse(number)));
  }

  /**
   * The browser's answer to {@link #toWebRtcOffer}, made into the answer for the SIP side: every
   * m-line of the SIP offer in place, the carried audio on the relay's plain address, the rest
   * refused.
   */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer, SessionDescription plainOffer, PlainEndpoint relay)
      throws SdpTranslationException {
    return toPlainAnswer(webRtcAnswer, plainOffer, PlainMedia.audioOnly(relay), Optional.empty());
  }

  /** As below, audio only. */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer,
      SessionDescription plainOffer,
      PlainEndpoint relay,
      Optional<SdesKey> sdes)
      throws SdpTranslationException {
    return toPlainAnswer(webRtcAnswer, plainOffer, PlainMedia.audioOnly(relay), sdes);
  }

  /**
   * The browser's answer to {@link #toWebRtcOffer}, made into the answer for the SIP side: every
   * m-line of the SIP offer in place, audio answered on {@code relay.audio()}, video (when the
   * browser accepted it and {@code relay.video()} is there) on {@code relay.video()} in the SIP
   * offer's payload type numbers, the rest refused.
   *
   * @param sdes our key for an {@code RTP/SAVP(F)} audio offer (under the tag of the offer's line
   *     it accepts, see {@link Sdes#acceptOffer}); a secure offer is never answered without one
   */
  public Translation toPlainAnswer(
      SessionDescription webRtcAnswer,
      SessionDescription plainOffer,
      PlainMedia relay,
      Optional<SdesKey> sdes)
      throws SdpTranslationException {
    int index = carried(plainOffer, "offer");
    MediaDescription offered = plainOffer.media().get(index);
    MediaDescription answered = answeredAudio(webRtcAnswer);
    OptionalInt videoIndex = sipVideo(plainOffer);
    Optional<MediaDescription> answeredVideo = carriedVideo(webRtcAnswer);
    List<MediaDescription> sections = new ArrayList<>();
    Map<Integer, Integer> browserToSip = new LinkedHashMap<>();
    Map<Integer, Integer> videoBrowserToSip = new LinkedHashMap<>();
    for (int i = 0; i < plainOffer.media().size(); i++) {
      MediaDescription m = plainOffer.media().get(i);
      if (answered.isRejected()) {
        sections.add(OfferAnswer.reject(m));
      } else if (i == index) {
        if (Sdes.isSecure(m.media().proto()) != sdes.isPresent()) {
          throw new SdpTranslationException(
              sdes.isPresent()
                  ? "an SDES key for a plain " + m.media().proto() + " offer"
                  : m.media().proto() + " offered, but no SDES key to answer it with");
        }
        List<OfferAnswer.CodecMatch> matches = passing(offered, answered, towardBrowser);
        matches.forEach(c -> browserToSip.put(c.answerPayloadType(), c.offerPayloadType()));
        sections.add(
            plainSection(
                m.media().proto(),
                relay.audio(),
                codecAttributes(answered, answerPayloadTypes(matches), renumber(matches)),
                List.of(),
                answered,
                OfferAnswer.effectiveDirection(webRtcAnswer, answered),
                m.rtcpMux(),
                sdes.map(List::of).orElse(List.of())));
      } else if (videoIndex.equals(OptionalInt.of(i))
          && relay.video().isPresent()
          && answeredVideo.isPresent()) {
        Optional<MediaDescription> section =
            plainVideoAnswer(
                m,
                offered,
                answeredVideo.get(),
                webRtcAnswer,
                plainOffer,
                relay,
                videoBrowserToSip);
        sections.add(section.orElseGet(() -> OfferAnswer.reject(m)));
      } else {
        sections.add(OfferAnswer.reject(m));
      }
    }
    return new Translation(
        plainSession(webRtcAnswer, relay.audio(), sections),
        new PayloadTypeMap(browserToSip),
        new PayloadTypeMap(videoBrowserToSip));
  }

  /**
   * The answer to the SIP side's video m-line {@code m} from the browser's {@code answered} video:
   * the browser answered {@link #toWebRtcOffer}'s numbers, which are mapped back into the SIP
   * offer's; empty when no codec is left.
   */
  private Optional<MediaDescription> plainVideoAnswer(
      MediaDescription m,
      MediaDescription sipAudio,
      MediaDescription answered,
      SessionDescription webRtcAnswer,
      SessionDescription plainOffer,
      PlainMedia relay,
      Map<Integer, Integer> browserToSip) {
    Map<Integer, Integer> number = browserVideoNumbers(sipAudio, m);
    Map<Integer, Integer> toSip = inverse(number);
    // the video section the browser saw, in its numbers: the answer is matched against it
    Codecs seen = codecAttributes(m, List.copyOf(number.keySet()), number);
    MediaDescription browserOffer =
        MediaDescription.of(
            new MediaLine("video", 9, OptionalInt.empty(), WEBRTC_PROTO, seen.formats()),
            seen.attributes());
    List<OfferAnswer.CodecMatch> matches =
        OfferAnswer.matchCodecs(browserOffer, answered).stream()
            .filter(c -> video.test(c.codec()))
            .toList();
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    Map<Integer, Integer> answerToSip = new LinkedHashMap<>();
    for (OfferAnswer.CodecMatch c : matches) {
      int sip = toSip.get(c.offerPayloadType());
      answerToSip.put(c.answerPayloadType(), sip);
      browserToSip.put(c.answerPayloadType(), sip);
    }
    List<Integer> sipKept = List.copyOf(answerToSip.values());
    PlainEndpoint at = relay.video().get();
    return Optional.of(
        located(
            plainSection(
                m.media().proto(),
                at,
                codecAttributes(answered, answerPayloadTypes(matches), answerToSip),
                RtcpFeedback.towardPlain(m, identity(sipKept)),
                answered,
                OfferAnswer.answerDirection(
                    OfferAnswer.effectiveDirection(plainOffer, m),
                    OfferAnswer.effectiveDirection(webRtcAnswer, answered)),
                m.rtcpMux(),
                List.of()),
            at,
            relay.audio()));
  }

  // ---- the two section builders: the only places that write transport attributes

  /**
   * A plain RTP section of {@code source}'s media type: codecs, RTCP feedback, packetization,
   * direction, where RTCP goes (RFC 3605) and the SDES keys of an {@code RTP/SAVP(F)} section (RFC
   * 4568), nothing else.
   *
   * @param codecs m-line formats and their rtpmap/fmtp attributes, already numbered for this side
   * @param feedback the {@code a=rtcp-fb} lines, already numbered ({@link RtcpFeedback})
   * @param muxOffered whether the offer this answers had {@code a=rtcp-mux}
   */
  private static MediaDescription plainSection(
      String proto,
      PlainEndpoint relay,
      Codecs codecs,
      List<Attribute> feedback,
      MediaDescription source,
      Direction direction,
      boolean muxOffered,
      List<SdesKey> sdes) {
    List<Attribute> attrs = new ArrayList<>(codecs.attributes());
    attrs.addAll(feedback);
    sdes.forEach(k -> attrs.add(k.toCrypto().toAttribute()));
    packetization(source, attrs);
    attrs.add(direction.toAttribute());
    if (relay.rtcpMux() && muxOffered) {
      attrs.add(Attribute.property("rtcp-mux"));
    } else {
      attrs.add(new Rtcp(relay.rtcpPort(), Optional.empty()).toAttribute());
    }
    return MediaDescription.of(
        new MediaLine(
            source.media().media(), relay.rtpPort(), OptionalInt.empty(), proto, codecs.formats()),
        attrs);
  }

  /**
   * A WebRTC section of {@code source}'s media type for an ICE-lite relay: mid, ICE credentials,
   * DTLS fingerprint and role, rtcp-mux (RFC 8829 §5.2.1 requires it), codecs, RTCP feedback,
   * direction, the relay's candidates and end-of-candidates (RFC 8838 §8.2: an ICE-lite agent has
   * no more to trickle). Audio and video get the same transport: they are bundled on one port.
   */
  private static MediaDescription webRtcSection(
      String proto,
      WebRtcEndpoint relay,
      Setup setup,
      String mid,
      Codecs codecs,
      List<Attribute> feedback,
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
    attrs.addAll(feedback);
    packetization(source, attrs);
    relay.candidates().forEach(c -> attrs.add(c.toAttribute()));
    attrs.add(Attribute.property("end-of-candidates"));
    return MediaDescription.of(
        new MediaLine(
            source.media().media(), relay.port(), OptionalInt.empty(), proto, codecs.formats()),
        attrs);
  }

  /** {@code section} with its own {@code c=} when its endpoint's address is not the session's. */
  private static MediaDescription located(
      MediaDescription section, PlainEndpoint at, PlainEndpoint session) {
    return at.address().equals(session.address())
        ? section
        : section.withConnections(List.of(Connection.of(at.address())));
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

  /** The codecs of a SIP answer's video that were offered and may cross, in the answer's order. */
  private List<OfferAnswer.CodecMatch> videoMatches(
      MediaDescription offer, MediaDescription answer) {
    return OfferAnswer.matchCodecs(offer, answer).stream()
        .filter(c -> video.test(c.codec()))
        .toList();
  }

  /**
   * The browser's numbers for the video codecs of a SIP offer that may cross (SIP payload type →
   * browser payload type, in the SIP offer's order): the SIP side's own, except where the audio the
   * browser is offered already uses the number; those get the lowest free dynamic numbers (RFC 3551
   * §3: 96-127). Empty when no codec crosses or no number is free.
   */
  private Map<Integer, Integer> browserVideoNumbers(
      MediaDescription sipAudio, MediaDescription sipVideo) {
    List<Integer> kept = OfferAnswer.acceptedPayloadTypes(sipVideo, video);
    Set<Integer> taken = new HashSet<>(OfferAnswer.acceptedPayloadTypes(sipAudio, towardBrowser));
    Set<Integer> clashing = new HashSet<>();
    for (int pt : kept) {
      if (!taken.add(pt)) {
        clashing.add(pt);
      }
    }
    Map<Integer, Integer> out = new LinkedHashMap<>();
    int free = 96;
    for (int pt : kept) {
      if (!clashing.contains(pt)) {
        out.put(pt, pt);
        continue;
      }
      while (free <= 127 && taken.contains(free)) {
        free++;
      }
      if (free > 127) {
        return Map.of();
      }
      taken.add(free);
      out.put(pt, free);
    }
    return out;
  }

  private static Map<Integer, Integer> inverse(Map<Integer, Integer> map) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(v, k));
    return out;
  }

  /** The mids of the sections that are not refused, in order: the answer's BUNDLE group. */
  private static List<String> accepted(List<MediaDescription> sections) {
    return sections.stream()
        .filter(s -> !s.isRejected())
        .map(s -> s.mid().orElse(OFFER_MID))
        .toList();
  }

  // ---- checks

  private static int carried(SessionDescription sdp, String what) throws SdpTranslationException {
    OptionalInt index = OfferAnswer.carriedAudio(sdp);
    if (index.isEmpty()) {
      throw new SdpTranslationException(
          "the "
              + what
              + " has no audio m-line over RTP with a port (m-lines: "
              + mLines(sdp)
              + ")");
    }
    return index.getAsInt();
  }

  /**
   * The audio of an answer to a translated offer: its carried audio, else (the answerer refused it)
   * its first audio m-line, which refuses the call's every stream.
   */
  private static MediaDescription answeredAudio(SessionDescription answer)
      throws SdpTranslationException {
    OptionalInt carried = OfferAnswer.carriedAudio(answer);
    if (carried.isPresent()) {
      return answer.media().get(carried.getAsInt());
    }
    return answer.media().stream()
        .filter(m -> m.media().media().equals("audio"))
        .findFirst()
        .orElseThrow(
            () ->
                new SdpTranslationException(
                    "the answer has no audio m-line, but audio was offered (m-lines: "
                        + mLines(answer)
                        + ")"));
  }

  private static Optional<MediaDescription> carriedVideo(SessionDescription sdp) {
    OptionalInt i = OfferAnswer.carriedVideo(sdp);
    return i.isPresent() ? Optional.of(sdp.media().get(i.getAsInt())) : Optional.empty();
  }

  /**
   * The browser's video the bridge can carry: the carried video, when it is in the same BUNDLE
   * group as the carried audio (the relay has one WebRTC port).
   */
  private static OptionalInt browserVideo(SessionDescription webRtc) {
    OptionalInt v = OfferAnswer.carriedVideo(webRtc);
    OptionalInt a = OfferAnswer.carriedAudio(webRtc);
    if (v.isEmpty() || a.isEmpty()) {
      return OptionalInt.empty();
    }
    Optional<String> videoMid = webRtc.media().get(v.getAsInt()).mid();
    Optional<String> audioMid = webRtc.media().get(a.getAsInt()).mid();
    boolean bundled =
        videoMid.isPresent()
            && audioMid.isPresent()
            && webRtc
                .bundle()
                .map(g -> g.mids())
                .orElse(List.of())
                .containsAll(List.of(videoMid.get(), audioMid.get()));
    return bundled ? v : OptionalInt.empty();
  }

  /**
   * The SIP side's video the bridge can carry: the carried video over plain {@code RTP/AVP} or
   * {@code RTP/AVPF}; video over SDES-SRTP ({@code RTP/SAVP(F)}) is refused, since the relay keeps
   * one SRTP context per call.
   */
  private static OptionalInt sipVideo(SessionDescription plain) {
    OptionalInt v = OfferAnswer.carriedVideo(plain);
    if (v.isEmpty()) {
      return v;
    }
    String proto = plain.media().get(v.getAsInt()).media().proto();
    return proto.equalsIgnoreCase(PLAIN_PROTO) || proto.equalsIgnoreCase(PLAIN_FEEDBACK_PROTO)
        ? v
        : OptionalInt.empty();
  }

  private static String mLines(SessionDescription sdp) {
    return sdp.media().stream().map(m -> m.media().toValue()).collect(Collectors.joining("; "));
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

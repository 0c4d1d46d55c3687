package dev.tandem.sdp.translate;

import dev.tandem.sdp.Codec;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.Direction;
import dev.tandem.sdp.Fmtp;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.MediaLine;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/** The offer/answer rules of RFC 3264 that the bridge applies, each in one method. */
public final class OfferAnswer {
  private OfferAnswer() {}

  /** A codec both sides named, with the number each side gave it. */
  public record CodecMatch(int offerPayloadType, int answerPayloadType, Codec codec) {}

  /**
   * RFC 3264 §6.1: the answer's direction follows the offer's, limited by what the answerer wants:
   * sendonly is answered recvonly (or inactive), recvonly sendonly (or inactive), inactive
   * inactive, sendrecv whatever the answerer wants.
   */
  public static Direction answerDirection(Direction offered, Direction wanted) {
    return Direction.of(offered.receives() && wanted.sends(), offered.sends() && wanted.receives());
  }

  /**
   * The direction a media section really has: its attributes, with RFC 2543 hold ({@code
   * c=0.0.0.0}, still understood per RFC 3264 §8.4) meaning the writer receives nothing. Only
   * without ICE: an ICE agent writes {@code c=IN IP4 0.0.0.0} before it has candidates (RFC 8839
   * §4.2.1.1, JSEP §5.2.1) and means nothing by it.
   */
  public static Direction effectiveDirection(SessionDescription sdp, MediaDescription m) {
    Direction d = sdp.direction(m);
    boolean holdAddress =
        sdp.mediaOrSession(m, "ice-ufrag").isEmpty()
            && sdp.connection(m).filter(Connection::isHoldAddress).isPresent();
    return holdAddress ? Direction.of(d.sends(), false) : d;
  }

  /**
   * Whether {@code m} puts the call on hold (RFC 3264 §8.4): the writer does not want to receive,
   * by sendonly, inactive or {@code c=0.0.0.0}.
   */
  public static boolean isHold(SessionDescription sdp, MediaDescription m) {
    return !m.isRejected() && !effectiveDirection(sdp, m).receives();
  }

  /**
   * The codecs of {@code offer} that {@code accept} takes, in the offerer's order (RFC 3264 §6.1:
   * the answerer should keep the offerer's preference), as payload types of the offer.
   * telephone-event (RFC 4733) is only kept next to a real codec: alone it carries no call.
   */
  public static List<Integer> acceptedPayloadTypes(
      MediaDescription offer, Predicate<Codec> accept) {
    List<Integer> kept = new ArrayList<>();
    boolean audio = false;
    for (Map.Entry<Integer, Codec> e : offer.codecs().entrySet()) {
      if (accept.test(e.getValue())) {
        kept.add(e.getKey());
        audio |= !e.getValue().isTelephoneEvent();
      }
    }
    return audio ? kept : List.of();
  }

  /**
   * The codecs that {@code answer} accepted out of {@code offer}, matched by codec identity (RFC
   * 3264 §6.1 lets the answerer renumber dynamic payload types; {@link FormatIdentity} says when
   * two formats are the same codec), in the answer's order. Codecs the answer names that were never
   * offered are left out: a sloppy answerer cannot add codecs.
   */
  public static List<CodecMatch> matchCodecs(MediaDescription offer, MediaDescription answer) {
    Map<Integer, Codec> offered = offer.codecs();
    Map<String, Fmtp> offeredFmtps = offer.fmtpsByFormat();
    Map<String, Fmtp> answeredFmtps = answer.fmtpsByFormat();
    List<CodecMatch> out = new ArrayList<>();
    for (Map.Entry<Integer, Codec> answered : answer.codecs().entrySet()) {
      Optional<Fmtp> fmtp = Optional.ofNullable(answeredFmtps.get(answered.getKey().toString()));
      OptionalInt offerPt =
          payloadTypeOf(offered, offeredFmtps, answered.getValue(), fmtp, answered.getKey());
      if (offerPt.isPresent()
          && out.stream().noneMatch(c -> c.offerPayloadType() == offerPt.getAsInt())) {
        out.add(new CodecMatch(offerPt.getAsInt(), answered.getKey(), answered.getValue()));
      }
    }
    return out;
  }

  /** The offer's number for {@code codec}, preferring the same number as the answer's. */
  private static OptionalInt payloadTypeOf(
      Map<Integer, Codec> offered,
      Map<String, Fmtp> offeredFmtps,
      Codec codec,
      Optional<Fmtp> fmtp,
      int preferred) {
    OptionalInt any = OptionalInt.empty();
    for (Map.Entry<Integer, Codec> e : offered.entrySet()) {
      Optional<Fmtp> theirs = Optional.ofNullable(offeredFmtps.get(e.getKey().toString()));
      if (FormatIdentity.same(e.getValue(), theirs, codec, fmtp)) {
        if (e.getKey() == preferred) {
          return OptionalInt.of(preferred);
        }
        if (any.isEmpty()) {
          any = OptionalInt.of(e.getKey());
        }
      }
    }
    return any;
  }

  /**
   * The answer to a media section that is not accepted (RFC 3264 §6): port 0, the offered media,
   * protocol and formats, and the offer's {@code a=mid} (RFC 8843 §7.3.3) so that BUNDLE-aware
   * offerers can tell which one was refused.
   */
  public static MediaDescription reject(MediaDescription offered) {
    MediaLine line = offered.media();
    MediaDescription rejected =
        MediaDescription.of(
            new MediaLine(line.media(), 0, OptionalInt.empty(), line.proto(), line.formats()),
            List.of());
    return offered
        .mid()
        .map(mid -> rejected.plus(dev.tandem.sdp.Attribute.of("mid", mid)))
        .orElse(rejected);
  }

  /**
   * The index of the media section the bridge carries: the first audio m-line over RTP that is not
   * rejected. Offers and answers both use this rule, so the answer lands where the offer was.
   */
  public static OptionalInt carriedAudio(SessionDescription sdp) {
    List<MediaDescription> media = sdp.media();
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      if (m.media().media().equals("audio")
          && !m.isRejected()
          && m.media().proto().contains("RTP")) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * The index of the video section the bridge carries: the first video m-line over RTP that is not
   * rejected. Like {@link #carriedAudio}, offers and answers both use this rule.
   */
  public static OptionalInt carriedVideo(SessionDescription sdp) {
    List<MediaDescription> media = sdp.media();
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      if (m.media().media().equals("video")
          && !m.isRejected()
          && m.media().proto().contains("RTP")) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }
}

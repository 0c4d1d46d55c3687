package dev.tandem.sdp.translate;

import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where the carried audio and video sections go among the m-lines of an offer, and which mids they
 * get toward a browser. An initial offer is audio then video. A re-offer keeps every m-line of the
 * previous exchange in place and order (RFC 3264 §8; JSEP §5.2.2, which browsers enforce): the
 * carried audio and video take the places of the previous carried ones, every other m-line is
 * refused (port 0, its mid kept), and a video stream the previous exchange did not carry is
 * appended. A video m-line the previous exchange refused is not reused, so the browser never sees a
 * refused mid come back.
 */
final class MediaLayout {
  static final String AUDIO_MID = "0";
  static final String VIDEO_MID = "1";

  private MediaLayout() {}

  static List<MediaDescription> arrange(
      Optional<SessionDescription> previous,
      MediaDescription audio,
      Optional<MediaDescription> video) {
    List<MediaDescription> out = new ArrayList<>();
    if (previous.isEmpty()) {
      out.add(audio);
      video.ifPresent(out::add);
      return out;
    }
    SessionDescription p = previous.get();
    p.media().forEach(m -> out.add(OfferAnswer.reject(m)));
    place(out, OfferAnswer.carriedAudio(p), audio);
    video.ifPresent(v -> place(out, OfferAnswer.carriedVideo(p), v));
    return out;
  }

  /** The carried audio's mid toward a browser: the previous one's, else {@code 0}. */
  static String audioMid(Optional<SessionDescription> previous) {
    return previous
        .flatMap(p -> midAt(p, OfferAnswer.carriedAudio(p)))
        .orElseGet(() -> previous.map(MediaLayout::fresh).orElse(AUDIO_MID));
  }

  /**
   * The carried video's mid toward a browser: the previous one's, else {@code 1} in an initial
   * offer, else the lowest number no m-line of the previous exchange has as its mid.
   */
  static String videoMid(Optional<SessionDescription> previous) {
    return previous
        .flatMap(p -> midAt(p, OfferAnswer.carriedVideo(p)))
        .orElseGet(() -> previous.map(MediaLayout::fresh).orElse(VIDEO_MID));
  }

  private static void place(List<MediaDescription> out, OptionalInt at, MediaDescription section) {
    if (at.isPresent()) {
      out.set(at.getAsInt(), section);
    } else {
      out.add(section);
    }
  }

  private static Optional<String> midAt(SessionDescription sdp, OptionalInt index) {
    return index.isPresent() ? sdp.media().get(index.getAsInt()).mid() : Optional.empty();
  }

  private static String fresh(SessionDescription previous) {
    Set<String> used = new HashSet<>();
    previous.media().forEach(m -> m.mid().ifPresent(used::add));
    int n = 0;
    while (used.contains(Integer.toString(n))) {
      n++;
    }
    return Integer.toString(n);
  }
}

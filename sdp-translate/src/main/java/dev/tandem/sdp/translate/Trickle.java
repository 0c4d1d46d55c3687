package dev.tandem.sdp.translate;

import dev.tandem.sdp.Attribute;
import dev.tandem.sdp.Candidate;
import dev.tandem.sdp.Connection;
import dev.tandem.sdp.MediaDescription;
import dev.tandem.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Trickle ICE (RFC 8838, RFC 8840): candidates that arrive after the description are merged into
 * the description the bridge holds, so that whoever reads it later (a media relay, a re-offer) sees
 * every candidate.
 */
public final class Trickle {
  private Trickle() {}

  /**
   * {@code sdp} with {@code candidate} added to the media section whose {@code a=mid} is {@code
   * mid} (or, when the browser gave no mid, the one at {@code mLineIndex}), after its other
   * candidates. Unchanged when the candidate is already there, when the section already has {@code
   * a=end-of-candidates} (RFC 8838 §13: later candidates of that generation are ignored), or when
   * the candidate's {@code ufrag} extension names an older ICE generation (RFC 8840 §5.4).
   *
   * @throws IllegalArgumentException when no media section matches
   */
  public static SessionDescription addCandidate(
      SessionDescription sdp, Optional<String> mid, int mLineIndex, Candidate candidate) {
    int index = sectionIndex(sdp, mid, mLineIndex);
    MediaDescription m = sdp.media().get(index);
    Optional<String> ufrag = candidate.extension("ufrag");
    boolean stale =
        ufrag.isPresent()
            && sdp.mediaOrSession(m, "ice-ufrag").filter(u -> !u.equals(ufrag.get())).isPresent();
    Attribute attribute = candidate.toAttribute();
    if (stale || m.endOfCandidates() || m.attributes().contains(attribute)) {
      return sdp;
    }
    List<Attribute> attrs = new ArrayList<>(m.attributes());
    int at = attrs.size();
    for (int i = 0; i < attrs.size(); i++) {
      if (attrs.get(i).is(Candidate.NAME)) {
        at = i + 1;
      }
    }
    attrs.add(at, attribute);
    return sdp.withMedia(index, old -> old.withAttributes(attrs));
  }

  /**
   * {@code sdp} with {@code a=end-of-candidates} on the section {@code mid} names, or on every
   * section when {@code mid} is empty (RFC 8838 §8.2: the browser's null candidate ends them all).
   */
  public static SessionDescription endOfCandidates(SessionDescription sdp, Optional<String> mid) {
    List<MediaDescription> media = new ArrayList<>(sdp.media());
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      boolean selected = mid.isEmpty() || m.mid().equals(mid);
      if (selected && !m.endOfCandidates()) {
        media.set(i, m.plus(Attribute.property("end-of-candidates")));
      }
    }
    return sdp.withMedia(media);
  }

  /**
   * Whether every used section of {@code sdp} says {@code a=end-of-candidates}: it has them all.
   */
  public static boolean complete(SessionDescription sdp) {
    return sdp.media().stream().filter(m -> !m.isRejected()).allMatch(m -> m.endOfCandidates());
  }

  /**
   * Whether every used ICE section of {@code sdp} already names a real default address: a non-zero
   * {@code c=}, or a UDP candidate for component 1 that {@link #withDefaultCandidates} can put
   * there. A browser that trickles sends its first description with {@code c=IN IP4 0.0.0.0} and no
   * candidate (JSEP §5.2.1); a relay that reads that as RFC 2543 hold (rtpengine does) writes a
   * held, address-less offer to the SIP side.
   */
  public static boolean hasDefaultAddresses(SessionDescription sdp) {
    for (MediaDescription m : sdp.media()) {
      if (needsDefault(sdp, m) && !bundledOntoTag(sdp, m) && bestCandidate(m).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code sdp} with each used ICE section whose {@code c=} is the zero address given its best UDP
   * component-1 candidate as the default address and port in {@code c=} and {@code m=}, as the
   * browser itself would after gathering (RFC 8839 §4.2.1.1). Sections with a real address, or
   * without such a candidate, are left alone.
   */
  public static SessionDescription withDefaultCandidates(SessionDescription sdp) {
    List<MediaDescription> media = new ArrayList<>(sdp.media());
    boolean changed = false;
    for (int i = 0; i < media.size(); i++) {
      MediaDescription m = media.get(i);
      Optional<Candidate> best = needsDefault(sdp, m) ? bestCandidate(m) : Optional.empty();
      if (best.isPresent()) {
        media.set(i, withDefault(m, best.get().address(), best.get().port()));
        changed = true;
      }
    }
    // sections bundled onto the tag without candidates of their own share its address (RFC 9143)
    Optional<MediaDescription> tag = bundleTag(sdp).map(media::get);
    for (int i = 0; i < media.size() && tag.isPresent(); i++) {
      MediaDescription m = media.get(i);
      Optional<Connection> c = sdp.withMedia(media).connection(tag.get());
      if (m != tag.get()
          && needsDefault(sdp, m)
          && bundledOntoTag(sdp, m)
          && c.isPresent()
          && !c.get().isHoldAddress()) {
        media.set(i, withDefault(m, c.get().connectionAddress(), tag.get().media().port()));
        changed = true;
      }
    }
    return changed ? sdp.withMedia(media) : sdp;
  }

  private static MediaDescription withDefault(MediaDescription m, String address, int port) {
    return m.withMedia(m.media().withPort(port)).withConnections(List.of(Connection.of(address)));
  }

  /**
   * Whether {@code m} is in the BUNDLE group, not its tag (first mid), and has no candidate of its
   * own: its media goes over the tag's transport (RFC 9143 §7.1.3), so the tag's address is its.
   */
  private static boolean bundledOntoTag(SessionDescription sdp, MediaDescription m) {
    Optional<Integer> tag = bundleTag(sdp);
    return tag.isPresent()
        && sdp.media().get(tag.get()) != m
        && m.mid().isPresent()
        && sdp.bundle().orElseThrow().mids().contains(m.mid().get())
        && bestCandidate(m).isEmpty();
  }

  /** The index of the BUNDLE group's first mid, the section whose transport the group uses. */
  private static Optional<Integer> bundleTag(SessionDescription sdp) {
    return sdp.bundle()
        .filter(g -> !g.mids().isEmpty())
        .flatMap(
            g -> {
              for (int i = 0; i < sdp.media().size(); i++) {
                if (sdp.media().get(i).mid().equals(Optional.of(g.mids().get(0)))) {
                  return Optional.of(i);
                }
              }
              return Optional.empty();
            });
  }

  private static boolean needsDefault(SessionDescription sdp, MediaDescription m) {
    return !m.isRejected()
        && sdp.mediaOrSession(m, "ice-ufrag").isPresent()
        && sdp.connection(m).map(Connection::isHoldAddress).orElse(true);
  }

  /** The highest-priority UDP candidate of component 1 with an IP address (not an mDNS name). */
  private static Optional<Candidate> bestCandidate(MediaDescription m) {
    return m.candidates().stream()
        .filter(c -> c.component() == 1 && c.isUdp() && !c.address().endsWith(".local"))
        .filter(c -> c.address().indexOf(':') < 0 || !c.address().startsWith("fe80"))
        .max(java.util.Comparator.comparingLong(Candidate::priority));
  }

  private static int sectionIndex(SessionDescription sdp, Optional<String> mid, int mLineIndex) {
    if (mid.isPresent()) {
      for (int i = 0; i < sdp.media().size(); i++) {
        if (sdp.media().get(i).mid().equals(mid)) {
          return i;
        }
      }
      throw new IllegalArgumentException("no media section has a=mid:" + mid.get());
    }
    if (mLineIndex < 0 || mLineIndex >= sdp.media().size()) {
      throw new IllegalArgumentException("no media section at index " + mLineIndex);
    }
    return mLineIndex;
  }
}

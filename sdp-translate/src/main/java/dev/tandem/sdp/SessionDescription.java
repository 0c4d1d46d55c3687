package dev.tandem.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A whole session description (RFC 8866 §5): the session-level lines and the media descriptions,
 * immutable. {@link #parse} reads it (see {@link SdpParser} for what is strict and what is
 * lenient); {@link #toString} writes it back with CRLF line endings, giving the same text for
 * anything that was parsed from a well-formed description.
 *
 * @param sessionName the {@code s=} text ({@code -} when a sloppy endpoint left it out)
 * @param timings the {@code t=} lines with their {@code r=} lines; {@code t=0 0} when left out
 * @param attributes the session-level {@code a=} lines, in order
 */
public record SessionDescription(
    Origin origin,
    String sessionName,
    Optional<String> info,
    Optional<String> uri,
    List<String> emails,
    List<String> phones,
    Optional<Connection> connection,
    List<Bandwidth> bandwidths,
    List<Timing> timings,
    Optional<String> zone,
    Optional<String> key,
    List<Attribute> attributes,
    List<MediaDescription> media) {

  public SessionDescription {
    Objects.requireNonNull(origin, "origin");
    Lines.requireLineText(sessionName, "s= must not contain CR, LF or NUL");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(uri, "uri");
    emails = List.copyOf(Objects.requireNonNull(emails, "emails"));
    phones = List.copyOf(Objects.requireNonNull(phones, "phones"));
    Objects.requireNonNull(connection, "connection");
    bandwidths = List.copyOf(Objects.requireNonNull(bandwidths, "bandwidths"));
    timings = List.copyOf(Objects.requireNonNull(timings, "timings"));
    if (timings.isEmpty()) {
      throw new IllegalArgumentException("a session description needs at least one t= line");
    }
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(key, "key");
    attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
    media = List.copyOf(Objects.requireNonNull(media, "media"));
  }

  /** A minimal description: {@code v=0}, the origin, {@code s=-}, {@code t=0 0}, media. */
  public static SessionDescription of(
      Origin origin,
      Optional<Connection> connection,
      List<Attribute> attributes,
      List<MediaDescription> media) {
    return new SessionDescription(
        origin,
        "-",
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(),
        connection,
        List.of(),
        List.of(Timing.PERMANENT),
        Optional.empty(),
        Optional.empty(),
        attributes,
        media);
  }

  /** Parses SDP text (LF or CRLF line endings). */
  public static SessionDescription parse(String text) throws SdpParseException {
    return SdpParser.parse(text);
  }

  // ---- typed views

  /** The value of the first session-level attribute named {@code name}. */
  public Optional<String> attribute(String name) {
    return AttributeList.first(attributes, name);
  }

  public boolean has(String name) {
    return AttributeList.has(attributes, name);
  }

  public List<Group> groups() {
    return attributes.stream()
        .filter(a -> a.is(Group.NAME))
        .map(a -> Group.parse(a.value()))
        .toList();
  }

  /** The BUNDLE group (RFC 9143), if any. */
  public Optional<Group> bundle() {
    return groups().stream().filter(Group::isBundle).findFirst();
  }

  public boolean iceLite() {
    return has(KnownAttributes.ICE_LITE);
  }

  /**
   * The direction of a media section: its own attribute, else the session-level one, else sendrecv
   * (RFC 8866 §6.7). RFC 2543 hold ({@code c=0.0.0.0}) is not folded in here: that is an
   * offer/answer rule, not grammar.
   */
  public Direction direction(MediaDescription m) {
    return m.direction().or(() -> AttributeList.direction(attributes)).orElse(Direction.SENDRECV);
  }

  /** Where media of {@code m} goes: its first {@code c=}, else the session's. */
  public Optional<Connection> connection(MediaDescription m) {
    return m.connections().isEmpty() ? connection : Optional.of(m.connections().get(0));
  }

  /** An ICE/DTLS attribute from the media section, else the session level (RFC 8839 §5.4). */
  public Optional<String> mediaOrSession(MediaDescription m, String name) {
    return m.attribute(name).or(() -> attribute(name));
  }

  /** The m-line whose {@code a=mid} is {@code mid}. */
  public Optional<MediaDescription> mediaByMid(String mid) {
    return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
  }

  // ---- derived copies

  public SessionDescription withOrigin(Origin newOrigin) {
    return new SessionDescription(
        newOrigin,
        sessionName,
        info,
        uri,
        emails,
        phones,
        connection,
        bandwidths,
        timings,
        zone,
        key,
        attributes,
        media);
  }

  public SessionDescription withConnection(Optional<Connection> newConnection) {
    return new SessionDescription(
        origin,
        sessionName,
        info,
        uri,
        emails,
        phones,
        newConnection,
        bandwidths,
        timings,
        zone,
        key,
        attributes,
        media);
  }

  public SessionDescription withAttributes(List<Attribute> newAttributes) {
    return new SessionDescription(
        origin,
        sessionName,
        info,
        uri,
        emails,
        phones,
        connection,
        bandwidths,
        timings,
        zone,
        key,
        newAttributes,
        media);
  }

  public SessionDescription withMedia(List<MediaDescription> newMedia) {
    return new SessionDescription(
        origin,
        sessionName,
        info,
        uri,
        emails,
        phones,
        connection,
        bandwidths,
        timings,
        zone,
        key,
        attributes,
        newMedia);
  }

  /** This description with the media section at {@code index} replaced. */
  public SessionDescription withMedia(int index, UnaryOperator<MediaDescription> change) {
    List<MediaDescription> all = new ArrayList<>(media);
    all.set(index, change.apply(all.get(index)));
    return withMedia(all);
  }

  /** The SDP text, CRLF line endings, in RFC 8866 §5 order. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(256 + 512 * media.size());
    line(sb, 'v', "0");
    line(sb, 'o', origin.toValue());
    line(sb, 's', sessionName);
    info.ifPresent(i -> line(sb, 'i', i));
    uri.ifPresent(u -> line(sb, 'u', u));
    emails.forEach(e -> line(sb, 'e', e));
    phones.forEach(p -> line(sb, 'p', p));
    connection.ifPresent(c -> line(sb, 'c', c.toValue()));
    bandwidths.forEach(b -> line(sb, 'b', b.toValue()));
    for (Timing t : timings) {
      line(sb, 't', t.toValue());
      t.repeatTimes().forEach(r -> line(sb, 'r', r));
    }
    zone.ifPresent(z -> line(sb, 'z', z));
    key.ifPresent(k -> line(sb, 'k', k));
    for (Attribute a : attributes) {
      sb.append(a).append("\r\n");
    }
    for (MediaDescription m : media) {
      m.appendTo(sb);
    }
    return sb.toString();
  }

  static void line(StringBuilder sb, char type, String value) {
    sb.append(type).append('=').append(value).append("\r\n");
  }
}

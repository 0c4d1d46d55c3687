package dev.tandem.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One media description (RFC 8866 §5.14): the {@code m=} line and the {@code i=}, {@code c=},
 * {@code b=}, {@code k=} and {@code a=} lines under it. Attributes keep their order and text; the
 * typed accessors read them on demand.
 *
 * @param title the {@code i=} text
 * @param key the {@code k=} text (obsolete, kept so it round-trips)
 */
public record MediaDescription(
    MediaLine media,
    Optional<String> title,
    List<Connection> connections,
    List<Bandwidth> bandwidths,
    Optional<String> key,
    List<Attribute> attributes) {

  public MediaDescription {
    Objects.requireNonNull(media, "media");
    Objects.requireNonNull(title, "title");
    connections = List.copyOf(Objects.requireNonNull(connections, "connections"));
    bandwidths = List.copyOf(Objects.requireNonNull(bandwidths, "bandwidths"));
    Objects.requireNonNull(key, "key");
    attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes"));
  }

  /** A media description with just an {@code m=} line and attributes. */
  public static MediaDescription of(MediaLine media, List<Attribute> attributes) {
    return new MediaDescription(
        media, Optional.empty(), List.of(), List.of(), Optional.empty(), attributes);
  }

  // ---- attributes in general

  /** The value of the first attribute named {@code name}; empty when absent or a property. */
  public Optional<String> attribute(String name) {
    return AttributeList.first(attributes, name);
  }

  /** Whether an attribute named {@code name} is present (property or value). */
  public boolean has(String name) {
    return AttributeList.has(attributes, name);
  }

  /** Every value attribute named {@code name}, parsed by {@code parser}, in order. */
  public <T> List<T> all(String name, Function<String, T> parser) {
    List<T> out = new ArrayList<>();
    for (Attribute a : attributes) {
      if (a.is(name) && a.value() != null) {
        out.add(parser.apply(a.value()));
      }
    }
    return out;
  }

  // ---- typed views

  public boolean isRejected() {
    return media.port() == 0;
  }

  /** The payload type numbers of an RTP m-line; empty for non-RTP protocols. */
  public List<Integer> payloadTypes() {
    if (!media.proto().contains("RTP")) {
      return List.of();
    }
    List<Integer> out = new ArrayList<>(media.formats().size());
    for (String f : media.formats()) {
      if (Syntax.isDigits(f) && f.length() <= 3 && Integer.parseInt(f) <= 127) {
        out.add(Integer.parseInt(f));
      }
    }
    return out;
  }

  public List<Rtpmap> rtpmaps() {
    return all(Rtpmap.NAME, Rtpmap::parse);
  }

  public Optional<Rtpmap> rtpmap(int payloadType) {
    return rtpmaps().stream().filter(r -> r.payloadType() == payloadType).findFirst();
  }

  /** What a payload type means: its rtpmap, or the RFC 3551 static assignment. */
  public Optional<Codec> codec(int payloadType) {
    return rtpmap(payloadType).map(Codec::of).or(() -> Codec.ofStaticPayloadType(payloadType));
  }

  /**
   * Every payload type of the m-line with the codec it means (rtpmap, else RFC 3551), in m-line
   * order, read in one pass; payload types that name no codec are left out.
   */
  public Map<Integer, Codec> codecs() {
    Map<Integer, Rtpmap> rtpmaps = rtpmapsByPayloadType();
    Map<Integer, Codec> out = new LinkedHashMap<>();
    for (int pt : payloadTypes()) {
      Rtpmap r = rtpmaps.get(pt);
      Optional<Codec> codec = r != null ? Optional.of(Codec.of(r)) : Codec.ofStaticPayloadType(pt);
      codec.ifPresent(c -> out.putIfAbsent(pt, c));
    }
    return out;
  }

  /** The rtpmap of every payload type that has one (the first, if repeated), read in one pass. */
  public Map<Integer, Rtpmap> rtpmapsByPayloadType() {
    Map<Integer, Rtpmap> out = new HashMap<>();
    for (Attribute a : attributes) {
      if (a.is(Rtpmap.NAME) && a.value() != null) {
        Rtpmap r = Rtpmap.parse(a.value());
        out.putIfAbsent(r.payloadType(), r);
      }
    }
    return out;
  }

  /** The fmtp of every format that has one, by format, read in one pass. */
  public Map<String, Fmtp> fmtpsByFormat() {
    Map<String, Fmtp> out = new HashMap<>();
    for (Attribute a : attributes) {
      if (a.is(Fmtp.NAME) && a.value() != null) {
        Fmtp f = Fmtp.parse(a.value());
        out.putIfAbsent(f.format(), f);
      }
    }
    return out;
  }

  public List<Fmtp> fmtps() {
    return all(Fmtp.NAME, Fmtp::parse);
  }

  public Optional<Fmtp> fmtp(int payloadType) {
    String format = Integer.toString(payloadType);
    return fmtps().stream().filter(f -> f.format().equals(format)).findFirst();
  }

  public List<RtcpFb> rtcpFbs() {
    return all(RtcpFb.NAME, RtcpFb::parse);
  }

  /**
   * The direction attribute written in this section, if any (see {@link
   * SessionDescription#direction}).
   */
  public Optional<Direction> direction() {
    return AttributeList.direction(attributes);
  }

  public Optional<String> mid() {
    return attribute(KnownAttributes.MID);
  }

  public OptionalInt ptime() {
    return millis(KnownAttributes.PTIME);
  }

  public OptionalInt maxptime() {
    return millis(KnownAttributes.MAXPTIME);
  }

  private OptionalInt millis(String name) {
    return attribute(name)
        .map(v -> OptionalInt.of(KnownAttributes.millis(name, v)))
        .orElse(OptionalInt.empty());
  }

  public Optional<Rtcp> rtcp() {
    return attribute(Rtcp.NAME).map(Rtcp::parse);
  }

  public boolean rtcpMux() {
    return has(KnownAttributes.RTCP_MUX);
  }

  public Optional<String> iceUfrag() {
    return attribute(KnownAttributes.ICE_UFRAG);
  }

  public Optional<String> icePwd() {
    return attribute(KnownAttributes.ICE_PWD);
  }

  public List<String> iceOptions() {
    return attribute(KnownAttributes.ICE_OPTIONS).map(Syntax::fields).orElse(List.of());
  }

  public List<Candidate> candidates() {
    return all(Candidate.NAME, Candidate::parse);
  }

  public boolean endOfCandidates() {
    return has(KnownAttributes.END_OF_CANDIDATES);
  }

  public Optional<Fingerprint> fingerprint() {
    return attribute(Fingerprint.NAME).map(Fingerprint::parse);
  }

  public Optional<Setup> setup() {
    return attribute(Setup.NAME).map(Setup::parse);
  }

  public List<Crypto> cryptos() {
    return all(Crypto.NAME, Crypto::parse);
  }

  public List<Ssrc> ssrcs() {
    return all(Ssrc.NAME, Ssrc::parse);
  }

  public Optional<Msid> msid() {
    return attribute(Msid.NAME).map(Msid::parse);
  }

  public List<Extmap> extmaps() {
    return all(Extmap.NAME, Extmap::parse);
  }

  public OptionalInt sctpPort() {
    return attribute(KnownAttributes.SCTP_PORT)
        .map(v -> OptionalInt.of(Syntax.port(v, "a=sctp-port needs <port>")))
        .orElse(OptionalInt.empty());
  }

  // ---- derived copies

  public MediaDescription withMedia(MediaLine newMedia) {
    return new MediaDescription(newMedia, title, connections, bandwidths, key, attributes);
  }

  public MediaDescription withConnections(List<Connection> newConnections) {
    return new MediaDescription(media, title, newConnections, bandwidths, key, attributes);
  }

  public MediaDescription withAttributes(List<Attribute> newAttributes) {
    return new MediaDescription(media, title, connections, bandwidths, key, newAttributes);
  }

  /** This description with {@code attribute} appended. */
  public MediaDescription plus(Attribute attribute) {
    List<Attribute> all = new ArrayList<>(attributes);
    all.add(attribute);
    return withAttributes(all);
  }

  /** This description without the attributes that {@code drop} matches. */
  public MediaDescription without(Predicate<Attribute> drop) {
    return withAttributes(attributes.stream().filter(drop.negate()).toList());
  }

  void appendTo(StringBuilder sb) {
    SessionDescription.line(sb, 'm', media.toValue());
    title.ifPresent(t -> SessionDescription.line(sb, 'i', t));
    connections.forEach(c -> SessionDescription.line(sb, 'c', c.toValue()));
    bandwidths.forEach(b -> SessionDescription.line(sb, 'b', b.toValue()));
    key.ifPresent(k -> SessionDescription.line(sb, 'k', k));
    for (Attribute a : attributes) {
      sb.append(a).append("\r\n");
    }
  }

  /** This section as SDP text with CRLF line endings. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    appendTo(sb);
    return sb.toString();
  }
}

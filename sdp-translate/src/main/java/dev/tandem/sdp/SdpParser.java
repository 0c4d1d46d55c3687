package dev.tandem.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads SDP text into a {@link SessionDescription}. The grammar (RFC 8866 §9), in the order this
 * parser accepts it:
 *
 * <pre>
 * session     = v=0  o=  [s=]  [i=]  [u=]  *e=  *p=  [c=]  *b=  *(t= *r=)  [z=]  [k=]  *a=  *media
 * media       = m=  [i=]  *c=  *b=  [k=]  *a=
 * </pre>
 *
 * <p><b>Lenient</b> where real endpoints are sloppy and nothing can go wrong: LF or CRLF line
 * endings (mixed, even), trailing blanks, blank lines, runs of blanks between fields, a missing
 * {@code s=} (read as {@code s=-}) or {@code t=} (read as {@code t=0 0}), session-level lines in
 * any order after {@code o=}, media-level lines in any order after {@code m=}.
 *
 * <p><b>Strict</b> where a wrong guess would break a call: {@code v=0} first and {@code o=}
 * present; unknown line types (RFC 8866 §5 says reject or ignore the whole description, and
 * ignoring loses the call); {@code m=}, {@code c=}, {@code o=}, {@code t=}, {@code b=} field by
 * field; a used media section with no connection address anywhere; session-only lines after the
 * first {@code m=}; repeated single lines; and the attributes that {@link KnownAttributes} checks
 * ({@code rtpmap}, {@code candidate}, {@code fingerprint}, ...). Each failure is one {@link
 * SdpParseException} naming the line.
 */
public final class SdpParser {
  private SdpParser() {}

  /** Parses {@code text}; see the class comment for what is accepted. */
  public static SessionDescription parse(String text) throws SdpParseException {
    return new Reader(text).read();
  }

  private static final class Reader {
    private final String text;
    private int pos;
    private int lineNumber;
    private String rawLine = "";

    private Origin origin;
    private String sessionName;
    private Optional<String> info = Optional.empty();
    private Optional<String> uri = Optional.empty();
    private final List<String> emails = new ArrayList<>();
    private final List<String> phones = new ArrayList<>();
    private Optional<Connection> connection = Optional.empty();
    private final List<Bandwidth> bandwidths = new ArrayList<>();
    private final List<Timing> timings = new ArrayList<>();
    private Optional<String> zone = Optional.empty();
    private Optional<String> key = Optional.empty();
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    private MediaBuilder current;

    Reader(String text) {
      this.text = text == null ? "" : text;
    }

    SessionDescription read() throws SdpParseException {
      boolean first = true;
      while (nextLine()) {
        String line = rawLine.stripTrailing();
        if (line.isEmpty()) {
          continue;
        }
        if (!Lines.isLineText(line)) {
          throw error("a line must not contain a bare CR or a NUL");
        }
        if (line.length() < 2 || line.charAt(1) != '=' || !isTypeLetter(line.charAt(0))) {
          throw error("every line needs <type>=<value> with a one-letter type");
        }
        char type = line.charAt(0);
        String value = line.substring(2);
        if (first) {
          if (type != 'v' || !value.equals("0")) {
            throw error("v=0 must be the first line");
          }
          first = false;
          continue;
        }
        if (origin == null && type != 'o') {
          throw error("o= must follow v=0");
        }
        try {
          if (current == null) {
            sessionLine(type, value);
          } else {
            mediaLine(type, value);
          }
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
      }
      if (first) {
        throw new SdpParseException(1, "", "v=0 must be the first line (the SDP is empty)");
      }
      if (origin == null) {
        throw new SdpParseException(lineNumber + 1, "", "o= must follow v=0");
      }
      finishMedia();
      return new SessionDescription(
          origin,
          sessionName == null ? "-" : sessionName,
          info,
          uri,
          emails,
          phones,
          connection,
          bandwidths,
          timings.isEmpty() ? List.of(Timing.PERMANENT) : timings,
          zone,
          key,
          attributes,
          media);
    }

    private void sessionLine(char type, String value) throws SdpParseException {
      switch (type) {
        case 'v' -> throw error("v= may appear only once, as the first line");
        case 'o' -> {
          once(origin == null, "o=");
          origin = Origin.parse(value);
        }
        case 's' -> {
          once(sessionName == null, "s=");
          // RFC 8866 §5.3 recommends "s= " for a session without a name: keep the blank
          sessionName = value.isEmpty() && rawLine.length() > 2 ? " " : value;
        }
        case 'i' -> {
          once(info.isEmpty(), "session-level i=");
          info = Optional.of(value);
        }
        case 'u' -> {
          once(uri.isEmpty(), "u=");
          uri = Optional.of(value);
        }
        case 'e' -> emails.add(value);
        case 'p' -> phones.add(value);
        case 'c' -> {
          once(connection.isEmpty(), "session-level c=");
          connection = Optional.of(Connection.parse(value));
        }
        case 'b' -> bandwidths.add(Bandwidth.parse(value));
        case 't' -> timings.add(Timing.parse(value));
        case 'r' -> {
          if (timings.isEmpty()) {
            throw error("r= must follow a t= line");
          }
          int last = timings.size() - 1;
          timings.set(last, timings.get(last).withRepeatTime(value));
        }
        case 'z' -> {
          once(zone.isEmpty(), "z=");
          zone = Optional.of(value);
        }
        case 'k' -> {
          once(key.isEmpty(), "session-level k=");
          key = Optional.of(value);
        }
        case 'a' -> attributes.add(attribute(value));
        case 'm' -> current = new MediaBuilder(MediaLine.parse(value), lineNumber, rawLine);
        default ->
            throw error(
                "unknown line type "
                    + type
                    + "= (RFC 8866 §5 knows v o s i u e p c b t r z k a m)");
      }
    }

    private void mediaLine(char type, String value) throws SdpParseException {
      switch (type) {
        case 'i' -> {
          once(current.title.isEmpty(), "media-level i=");
          current.title = Optional.of(value);
        }
        case 'c' -> current.connections.add(Connection.parse(value));
        case 'b' -> current.bandwidths.add(Bandwidth.parse(value));
        case 'k' -> {
          once(current.key.isEmpty(), "media-level k=");
          current.key = Optional.of(value);
        }
        case 'a' -> current.attributes.add(attribute(value));
        case 'm' -> {
          finishMedia();
          current = new MediaBuilder(MediaLine.parse(value), lineNumber, rawLine);
        }
        case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' ->
            throw error(type + "= belongs to the session part, before the first m=");
        default ->
            throw error(
                "unknown line type "
                    + type
                    + "= (RFC 8866 §5 knows v o s i u e p c b t r z k a m)");
      }
    }

    private void finishMedia() throws SdpParseException {
      if (current == null) {
        return;
      }
      MediaDescription m =
          new MediaDescription(
              current.line,
              current.title,
              current.connections,
              current.bandwidths,
              current.key,
              current.attributes);
      if (!m.isRejected() && m.connections().isEmpty() && connection.isEmpty()) {
        throw new SdpParseException(
            current.lineNumber,
            current.text,
            "m= needs a c= line, in the media section or the session part");
      }
      media.add(m);
      current = null;
    }

    private static Attribute attribute(String value) {
      int colon = value.indexOf(':');
      return colon < 0
          ? Attribute.property(value)
          : Attribute.of(value.substring(0, colon), value.substring(colon + 1));
    }

    private void once(boolean first, String what) throws SdpParseException {
      if (!first) {
        throw error(what + " may appear only once");
      }
    }

    private static boolean isTypeLetter(char c) {
      return c >= 'a' && c <= 'z';
    }

    private boolean nextLine() {
      if (pos >= text.length()) {
        return false;
      }
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = text.length();
      }
      int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
      rawLine = text.substring(pos, stop);
      pos = end + 1;
      lineNumber++;
      return true;
    }

    private SdpParseException error(String expected) {
      return new SdpParseException(lineNumber, rawLine, expected);
    }
  }

  private static final class MediaBuilder {
    final MediaLine line;
    final int lineNumber;
    final String text;
    Optional<String> title = Optional.empty();
    final List<Connection> connections = new ArrayList<>();
    final List<Bandwidth> bandwidths = new ArrayList<>();
    Optional<String> key = Optional.empty();
    final List<Attribute> attributes = new ArrayList<>();

    MediaBuilder(MediaLine line, int lineNumber, String text) {
      this.line = line;
      this.lineNumber = lineNumber;
      this.text = text;
    }
  }
}

package dev.tandem.sip.call;

import dev.tandem.sip.stack.SipMessages;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.header.AllowHeader;
import javax.sip.header.Header;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The negotiation of session timers (RFC 4028), one place for both roles:
 *
 * <pre>
 * we send the INVITE (UAC)                       we receive it (UAS)
 * Supported: timer, Session-Expires: ours,       Session-Expires below our Min-SE: 422 + Min-SE
 *   Min-SE: ours                                 otherwise the 200 carries Session-Expires (theirs,
 * 2xx with Session-Expires: run the timer;         or ours if they support timers but asked none)
 *   refresher=uac: we refresh                      with the refresher they chose, else uac when
 * 2xx without: no timer (the peer has none)        they asked, uas (us) when we proposed;
 * 422 with Min-SE: the INVITE again with it        Require: timer when they support it
 * </pre>
 */
final class SessionTimers {
  static final String SESSION_EXPIRES = "Session-Expires";
  static final String MIN_SE = "Min-SE";

  /** What was agreed: the interval, and whether this side refreshes. */
  record Agreed(Duration interval, boolean weRefresh) {}

  /** A Session-Expires value: seconds and the refresher, if named. */
  record SessionExpires(long seconds, Optional<String> refresher) {
    /** The header carrying this value ({@code 1800;refresher=uac}). */
    Header header(SipMessages messages) throws java.text.ParseException {
      return messages
          .headers()
          .createHeader(
              SESSION_EXPIRES, seconds + refresher.map(r -> ";refresher=" + r).orElse(""));
    }
  }

  static final SessionTimers OFF = new SessionTimers(Duration.ZERO, Duration.ofSeconds(90));

  private final Duration proposed;
  private final Duration minSe;

  SessionTimers(Duration proposed, Duration minSe) {
    this.proposed = proposed;
    this.minSe = minSe;
  }

  boolean enabled() {
    return !proposed.isZero();
  }

  // --- UAC ------------------------------------------------------------------------------------

  /** Adds our proposal to an INVITE we send. */
  void propose(Request invite, SipMessages messages) throws Exception {
    if (!enabled()) {
      return;
    }
    invite.addHeader(messages.headers().createSupportedHeader("timer"));
    invite.setHeader(new SessionExpires(proposed.toSeconds(), Optional.empty()).header(messages));
    invite.setHeader(messages.headers().createHeader(MIN_SE, Long.toString(minSe.toSeconds())));
  }

  /** Our INVITE again after a 422, asking for the peer's Min-SE; false when there is none. */
  boolean retryAfterTooSmall(Request invite, Response tooSmall, SipMessages messages)
      throws Exception {
    Optional<Long> theirs = seconds(tooSmall, MIN_SE);
    if (!enabled() || theirs.isEmpty()) {
      return false;
    }
    invite.setHeader(new SessionExpires(theirs.get(), Optional.empty()).header(messages));
    invite.setHeader(messages.headers().createHeader(MIN_SE, Long.toString(theirs.get())));
    return true;
  }

  /** The timer a 2xx to our INVITE sets up. */
  Optional<Agreed> fromAnswer(Response ok) {
    if (!enabled()) {
      return Optional.empty();
    }
    return sessionExpires(ok)
        .map(
            se ->
                new Agreed(
                    Duration.ofSeconds(se.seconds()), !"uas".equals(se.refresher().orElse("uac"))));
  }

  // --- UAS ------------------------------------------------------------------------------------

  /** The Min-SE to answer 422 with, when the caller's interval is below it. */
  Optional<Long> tooSmall(Request invite) {
    if (!enabled()) {
      return Optional.empty();
    }
    return sessionExpires(invite)
        .filter(se -> se.seconds() < minSe.toSeconds())
        .map(se -> minSe.toSeconds());
  }

  /** Adds the agreed Session-Expires to our 200 for {@code invite}, and says what was agreed. */
  Optional<Agreed> answer(Request invite, Response ok, SipMessages messages) throws Exception {
    if (!enabled()) {
      return Optional.empty();
    }
    boolean supported = supports(invite, "timer");
    Optional<SessionExpires> asked = sessionExpires(invite);
    if (asked.isEmpty() && !supported) {
      return Optional.empty(); // RFC 4028 §9: a caller that knows nothing of timers gets none
    }
    long seconds = asked.map(SessionExpires::seconds).orElse(proposed.toSeconds());
    String refresher = asked.flatMap(SessionExpires::refresher).orElse(supported ? "uac" : "uas");
    ok.setHeader(new SessionExpires(seconds, Optional.of(refresher)).header(messages));
    if (supported) {
      ok.addHeader(messages.headers().createRequireHeader("timer"));
    }
    return Optional.of(new Agreed(Duration.ofSeconds(seconds), refresher.equals("uas")));
  }

  // --- reading headers ------------------------------------------------------------------------

  static Optional<SessionExpires> sessionExpires(Message message) {
    return value(message, SESSION_EXPIRES)
        .or(() -> value(message, "x"))
        .flatMap(
            v -> {
              String[] parts = v.split(";");
              try {
                long seconds = Long.parseLong(parts[0].strip());
                Optional<String> refresher = Optional.empty();
                for (int i = 1; i < parts.length; i++) {
                  String p = parts[i].strip().toLowerCase(Locale.ROOT);
                  if (p.startsWith("refresher=")) {
                    refresher = Optional.of(p.substring("refresher=".length()).strip());
                  }
                }
                return seconds > 0
                    ? Optional.of(new SessionExpires(seconds, refresher))
                    : Optional.empty();
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static Optional<Long> seconds(Message message, String name) {
    return value(message, name)
        .flatMap(
            v -> {
              try {
                return Optional.of(Long.parseLong(v.split(";")[0].strip()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static Optional<String> value(Message message, String name) {
    Header header = message.getHeader(name);
    if (header == null) {
      return Optional.empty();
    }
    String text = header.toString();
    return Optional.of(text.substring(text.indexOf(':') + 1).strip());
  }

  /** Whether the message's Supported headers name {@code tag}. */
  static boolean supports(Message message, String tag) {
    for (Iterator<?> it = message.getHeaders(SupportedHeader.NAME); it.hasNext(); ) {
      if (tag.equalsIgnoreCase(((SupportedHeader) it.next()).getOptionTag())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the message's Allow headers name {@code method}. */
  static boolean allows(Message message, String method) {
    for (Iterator<?> it = message.getHeaders(AllowHeader.NAME); it.hasNext(); ) {
      if (method.equalsIgnoreCase(((AllowHeader) it.next()).getMethod())) {
        return true;
      }
    }
    return false;
  }
}

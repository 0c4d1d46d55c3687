package dev.tandem.sip.call;

import dev.tandem.core.time.Scheduler;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sip.Dialog;
import javax.sip.SipProvider;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DTMF in SIP INFO (the legacy usage RFC 6086 §2 keeps, as PBXs and trunks speak it): {@code
 * application/dtmf-relay} bodies ({@code Signal=5}, {@code Duration=160}) are sent, and those and
 * {@code application/dtmf} (the digit alone) are read.
 */
final class DtmfInfo {
  private static final Logger log = LoggerFactory.getLogger(DtmfInfo.class);
  private static final HeaderFactory HEADERS = new HeaderFactoryImpl();

  /** Silence between two digits, as RFC 4733 senders leave too. */
  private static final Duration GAP = Duration.ofMillis(50);

  /** What a {@code ,} in the digits waits. */
  private static final Duration PAUSE = Duration.ofMillis(500);

  /** One digit and how long it was pressed. */
  record Digit(char digit, Duration duration) {}

  private DtmfInfo() {}

  /**
   * Hands each digit to {@code send} on the timers' thread, one tone plus a gap apart; a {@code ,}
   * waits {@link #PAUSE}. One request at a time per dialog keeps them in order (RFC 6086 §4.2.1).
   */
  static void pace(String digits, Duration tone, Scheduler timers, Consumer<Character> send) {
    Duration at = Duration.ZERO;
    for (char c : digits.toCharArray()) {
      if (c == ',') {
        at = at.plus(PAUSE);
        continue;
      }
      timers.schedule(at, () -> send.accept(c));
      at = at.plus(tone).plus(GAP);
    }
  }

  /** Sends one INFO with {@code application/dtmf-relay}; failures are logged, never thrown. */
  static void send(
      Dialog dialog, SipProvider provider, ContactHeader ours, char digit, Duration tone) {
    try {
      Request info = SipBodies.inDialog(dialog, Request.INFO, ours);
      ContentTypeHeader type = HEADERS.createContentTypeHeader("application", "dtmf-relay");
      info.setContent("Signal=" + digit + "\r\nDuration=" + tone.toMillis() + "\r\n", type);
      dialog.sendRequest(provider.getNewClientTransaction(info));
      log.info("INFO DTMF '{}' sent", digit);
    } catch (Exception e) {
      log.warn("cannot send INFO DTMF '{}': {}", digit, e.toString());
    }
  }

  /** Whether the INFO's body is one of the DTMF types this bridge reads. */
  static boolean readable(ContentTypeHeader type) {
    return type != null
        && "application".equalsIgnoreCase(type.getContentType())
        && ("dtmf-relay".equalsIgnoreCase(type.getContentSubType())
            || "dtmf".equalsIgnoreCase(type.getContentSubType()));
  }

  /** The digit in a readable INFO, or empty when the body names none. */
  static Optional<Digit> read(Request info) {
    ContentTypeHeader type = (ContentTypeHeader) info.getHeader(ContentTypeHeader.NAME);
    byte[] raw = info.getRawContent();
    if (!readable(type) || raw == null) {
      return Optional.empty();
    }
    String body = new String(raw, StandardCharsets.UTF_8).trim();
    if ("dtmf".equalsIgnoreCase(type.getContentSubType())) {
      return digit(body).map(d -> new Digit(d, Duration.ofMillis(100)));
    }
    Optional<Character> signal = Optional.empty();
    Duration duration = Duration.ofMillis(100);
    for (String line : body.split("\r?\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).trim();
      if (key.equals("signal")) {
        signal = digit(value);
      } else if (key.equals("duration")) {
        try {
          duration = Duration.ofMillis(Math.max(0, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
          // keep the default: the digit is what matters
        }
      }
    }
    Duration pressed = duration;
    return signal.map(d -> new Digit(d, pressed));
  }

  /**
   * {@code 0-9 * # A-D}, or the RFC 4733 event code some PBXs send (10 = *, 11 = #, 12-15 = A-D).
   */
  private static Optional<Character> digit(String value) {
    if (value.length() == 1) {
      char c = Character.toUpperCase(value.charAt(0));
      if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) {
        return Optional.of(c);
      }
      return Optional.empty();
    }
    return switch (value) {
      case "10" -> Optional.of('*');
      case "11" -> Optional.of('#');
      case "12" -> Optional.of('A');
      case "13" -> Optional.of('B');
      case "14" -> Optional.of('C');
      case "15" -> Optional.of('D');
      default -> Optional.empty();
    };
  }
}

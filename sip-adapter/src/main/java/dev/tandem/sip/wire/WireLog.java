package dev.tandem.sip.wire;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log for bad input from the network: each malformed message, refused connection or
 * JAIN-SIP complaint is one short line, with CR, LF and every other control character escaped (so a
 * peer cannot forge a log line) and no stack trace. A token bucket limits the lines per second; the
 * next line that gets through says how many were suppressed meanwhile.
 *
 * <p>Thread-safe.
 */
public final class WireLog {
  /** Longest piece of peer-supplied text quoted in a line. */
  public static final int MAX_QUOTE = 120;

  private static final Logger log = LoggerFactory.getLogger(WireLog.class);

  private final int perSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;
  private long suppressed;

  /**
   * @param perSecond lines written per second at most (also the burst)
   * @param nanoTime the clock ({@link System#nanoTime} outside tests)
   */
  public WireLog(int perSecond, LongSupplier nanoTime) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1");
    }
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.tokens = perSecond;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Ten lines per second on the system clock. */
  public static WireLog standard() {
    return new WireLog(10, System::nanoTime);
  }

  /** A message from {@code peer} that could not be used, and why. */
  public void malformed(String peer, String transport, String why) {
    warn("malformed SIP message from " + peer + "/" + transport + ": " + why);
  }

  /** A WARN line; {@code text} is escaped and cut to a few hundred characters. */
  public void warn(String text) {
    String line = line(text);
    if (line != null) {
      log.warn(line);
    }
  }

  /** An INFO line (expected trouble: a connection closed for idling), limited like WARN. */
  public void info(String text) {
    String line = line(text);
    if (line != null) {
      log.info(line);
    }
  }

  /** Lines suppressed since the last one written. */
  public synchronized long suppressed() {
    return suppressed;
  }

  private String line(String text) {
    long dropped;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
      refilledAt = now;
      if (tokens < 1) {
        suppressed++;
        return null;
      }
      tokens--;
      dropped = suppressed;
      suppressed = 0;
    }
    String line = escape(text, 4 * MAX_QUOTE);
    return dropped == 0 ? line : line + " [suppressed " + dropped + " similar lines]";
  }

  /**
   * {@code text} with CR as {@code \r}, LF as {@code \n}, tab as {@code \t} and any other control
   * or line-separating character as {@code \\uXXXX}, cut after {@code max} characters.
   */
  public static String escape(CharSequence text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 8);
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (text.length() > max) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }
}

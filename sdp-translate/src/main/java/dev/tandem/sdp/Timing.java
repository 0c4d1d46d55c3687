package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;

/**
 * A time description (RFC 8866 §5.9, §5.10): one {@code t=} line and the {@code r=} lines that
 * follow it. Repeat times stay text: nothing in a bridge computes on them, and their unit suffixes
 * ({@code 7d}, {@code 1h}) only need to survive.
 *
 * @param startTime NTP seconds, 0 for an unbounded session
 * @param stopTime NTP seconds, 0 for an unbounded session
 * @param repeatTimes the text after each {@code r=}, in order
 */
public record Timing(long startTime, long stopTime, List<String> repeatTimes) {

  static final String EXPECTED = "t= needs <start-time> <stop-time>";

  /** {@code t=0 0}: the permanent session every telephony SDP uses. */
  public static final Timing PERMANENT = new Timing(0, 0, List.of());

  public Timing {
    if (startTime < 0 || stopTime < 0) {
      throw new IllegalArgumentException(EXPECTED);
    }
    repeatTimes = List.copyOf(Objects.requireNonNull(repeatTimes, "repeatTimes"));
    for (String r : repeatTimes) {
      if (r.isEmpty() || !Lines.isLineText(r)) {
        throw new IllegalArgumentException(
            "r= needs <repeat interval> <active duration> <offsets>");
      }
    }
  }

  /** Parses the text after {@code t=}. */
  public static Timing parse(String value) {
    List<String> f = Syntax.fields(value);
    if (f.size() != 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Timing(
        Syntax.number(f.get(0), Long.MAX_VALUE, EXPECTED),
        Syntax.number(f.get(1), Long.MAX_VALUE, EXPECTED),
        List.of());
  }

  /** This time description with one more {@code r=} line. */
  public Timing withRepeatTime(String repeat) {
    List<String> all = new java.util.ArrayList<>(repeatTimes);
    all.add(repeat);
    return new Timing(startTime, stopTime, all);
  }

  /** The text after {@code t=}. */
  public String toValue() {
    return startTime + " " + stopTime;
  }
}

package dev.tandem.core.call;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Refuses SDP whose line structure is broken (RFC 8866 §5), naming the line: every line is {@code
 * <type>=<value>} with a one-letter type, the first is {@code v=0}, {@code o=} has its six fields,
 * each {@code m=} is {@code <media> <port>[/<count>] <proto> <fmt>...} and each {@code c=} is
 * {@code IN IP4|IP6 <address>}. Browser-to-browser calls relay SDP untouched, so this is what
 * protects the callee's browser from garbage; the full model of sdp-translate checks more.
 */
public final class SdpStructureCheck implements SdpCheck {
  private static final Pattern LINE = Pattern.compile("[a-z]=.*");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}(/\\d{1,3})?");

  @Override
  public Optional<Outcome.Refused> check(String sdp) {
    if (sdp.isBlank()) {
      return refuse(1, "empty SDP");
    }
    String[] lines = sdp.split("\r?\n", -1);
    boolean origin = false;
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].stripTrailing();
      if (line.isEmpty()) {
        if (i == lines.length - 1) {
          break;
        }
        return refuse(number, "empty line inside the SDP");
      }
      if (!LINE.matcher(line).matches()) {
        return refuse(number, "expected <type>=<value> with a one-letter type");
      }
      if (i == 0 && line.charAt(0) != 'v') {
        return refuse(number, "v=0 must be the first line");
      }
      String value = line.substring(2);
      switch (line.charAt(0)) {
        case 'v' -> {
          if (i != 0 || !value.equals("0")) {
            return refuse(number, "v=0 must be the first line, and only once");
          }
        }
        case 'o' -> {
          if (value.split(" ").length != 6) {
            return refuse(
                number,
                "o= needs <username> <sess-id> <sess-version> <nettype> <addrtype> <address>");
          }
          origin = true;
        }
        case 'm' -> {
          String[] fields = value.split(" ");
          if (fields.length < 4
              || !PORT.matcher(fields[1]).matches()
              || Integer.parseInt(fields[1].split("/")[0]) > 65535) {
            return refuse(number, "m= needs <media> <port> <proto> <fmt>...");
          }
        }
        case 'c' -> {
          String[] fields = value.split(" ");
          if (fields.length != 3
              || !fields[0].equals("IN")
              || !(fields[1].equals("IP4") || fields[1].equals("IP6"))) {
            return refuse(number, "c= needs IN IP4|IP6 <address>");
          }
        }
        default -> {}
      }
    }
    if (!origin) {
      return refuse(2, "o= is missing");
    }
    return Optional.empty();
  }

  private static Optional<Outcome.Refused> refuse(int line, String reason) {
    return Optional.of(
        new Outcome.Refused(Refusal.BAD_SDP, "line " + line + ": " + reason, OptionalInt.of(line)));
  }
}

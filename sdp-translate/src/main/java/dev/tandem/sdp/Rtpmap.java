package dev.tandem.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]} (RFC 8866
 * §6.6): which codec an RTP payload type number means. Checked strictly, because a misread payload
 * type sends audio to the wrong decoder.
 *
 * @param encodingParameters for audio, the number of channels
 */
public record Rtpmap(
    int payloadType, String encodingName, int clockRate, Optional<String> encodingParameters) {

  public static final String NAME = "rtpmap";
  static final String EXPECTED =
      "a=rtpmap needs <payload type> <encoding name>/<clock rate>[/<encoding parameters>]"
          + " with a payload type from 0 to 127";

  public Rtpmap {
    Objects.requireNonNull(encodingName, "encodingName");
    Objects.requireNonNull(encodingParameters, "encodingParameters");
    if (payloadType < 0
        || payloadType > 127
        || !Syntax.isToken(encodingName)
        || encodingName.indexOf('/') >= 0
        || clockRate <= 0
        || encodingParameters.filter(p -> !Syntax.isToken(p) || p.indexOf('/') >= 0).isPresent()) {
      throw new IllegalArgumentException(EXPECTED);
    }
  }

  /** An audio codec with one channel, e.g. {@code 0 PCMU/8000}. */
  public static Rtpmap of(int payloadType, String encodingName, int clockRate) {
    return new Rtpmap(payloadType, encodingName, clockRate, Optional.empty());
  }

  /** Parses the text after {@code a=rtpmap:}. */
  public static Rtpmap parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException(EXPECTED);
    }
    List<String> f = Syntax.fields(value);
    if (f.size() != 2) {
      throw new IllegalArgumentException(EXPECTED);
    }
    String[] encoding = f.get(1).split("/", -1);
    if (encoding.length < 2 || encoding.length > 3) {
      throw new IllegalArgumentException(EXPECTED);
    }
    return new Rtpmap(
        (int) Syntax.number(f.get(0), 127, EXPECTED),
        encoding[0],
        (int) Syntax.number(encoding[1], Integer.MAX_VALUE, EXPECTED),
        encoding.length == 3 ? Optional.of(encoding[2]) : Optional.empty());
  }

  /** Channels for audio (RFC 8866 §6.6: absent means one). */
  public int channels() {
    return encodingParameters
        .filter(Syntax::isDigits)
        .filter(p -> p.length() < 4)
        .map(Integer::parseInt)
        .orElse(1);
  }

  public Attribute toAttribute() {
    String encoding =
        encodingName + "/" + clockRate + encodingParameters.map(p -> "/" + p).orElse("");
    return Attribute.of(NAME, payloadType + " " + encoding);
  }
}

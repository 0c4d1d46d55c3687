package dev.tandem.core.call;

import dev.tandem.core.vocabulary.Refusal;
import dev.tandem.sdp.SdpParseException;
import dev.tandem.sdp.SessionDescription;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Refuses SDP that the sdp-translate parser refuses (RFC 8866 grammar plus the attributes a call
 * depends on: rtpmap, candidate, fingerprint, setup, ...), naming the line. Browser-to-browser
 * calls relay SDP untouched, so this is what protects the callee's browser from garbage; toward SIP
 * it is what turns bad SDP into 488 with a Warning before a dialog exists.
 */
public final class SdpGrammarCheck implements SdpCheck {

  @Override
  public Optional<Outcome.Refused> check(String sdp) {
    try {
      SessionDescription.parse(sdp);
      return Optional.empty();
    } catch (SdpParseException e) {
      return Optional.of(
          new Outcome.Refused(Refusal.BAD_SDP, e.getMessage(), OptionalInt.of(e.line())));
    }
  }
}

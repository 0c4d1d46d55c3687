package dev.tandem.sip.wire;

import gov.nist.javax.sip.message.SIPMessage;
import java.util.List;
import java.util.Optional;
import javax.sip.message.Request;

/**
 * What the parser saw in a request's bytes but JAIN-SIP's request object no longer shows: a SIP
 * version other than 2.0 (the request is parsed as 2.0 so that it can be answered 505) and headers
 * that may appear once but came more than once (JAIN-SIP keeps the first silently). The request
 * screen answers them; the parser only notes them.
 *
 * @param version the foreign version, e.g. {@code SIP/7.0}
 * @param duplicated the names, as RFC 3261 spells them, of headers given more than once
 */
public record WireDefects(Optional<String> version, List<String> duplicated) {
  public WireDefects {
    duplicated = List.copyOf(duplicated);
  }

  /** The defects the parser attached to {@code request}, if any. */
  public static Optional<WireDefects> of(Request request) {
    return request instanceof SIPMessage message
            && message.getApplicationData() instanceof WireDefects defects
        ? Optional.of(defects)
        : Optional.empty();
  }
}

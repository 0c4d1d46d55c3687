package dev.tandem.core.call;

import java.util.Locale;
import java.util.Optional;

/**
 * What a call is, as an operator sees it: which way it goes, its state (the call's own state name
 * in lower case) and its two parties (user names, SIP addresses or dialled strings).
 *
 * @param destination the SIP destination a call to SIP went to (the first of its failover group),
 *     or where an INVITE from SIP came from (the inbound trust rule's description)
 */
public record CallFacts(
    Direction direction, String state, String from, String to, Optional<String> destination) {

  /** Which sides a call connects. */
  public enum Direction {
    BROWSER_TO_BROWSER,
    BROWSER_TO_SIP,
    SIP_TO_BROWSER,
    SIP_TO_SIP;

    /** The name in the admin API: lower kebab case. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}

package dev.tandem.core.inbound;

import java.util.Set;

/**
 * What a REFER from a call's SIP peer may make the browser dial: no more than the referring side
 * could reach by calling in itself, so that nobody dials out with the callee's rights (toll fraud).
 *
 * <pre>
 * the call came from           the Refer-To may be
 * a destination (trunk, PBX)   a browser user, a registrar account, or a number the dial plan
 *                              routes back to that same destination (every route of it)
 * a registrar phone            a browser user, a registrar account
 * untrusted (allow-any-source) a browser user
 * (the browser placed the call) whatever the user may dial: the user chose that peer
 * unchecked (no trust rule)    whatever the callee may dial
 * </pre>
 */
public final class ReferScope {
  private ReferScope() {}

  /** Where a Refer-To leads, as routing found it. */
  public sealed interface Reach {
    record BrowserUser(String user) implements Reach {}

    record Account(String account) implements Reach {}

    /** A SIP route of the dial plan, through these destinations. */
    record Sip(Set<String> destinations) implements Reach {}

    /** The dial plan has no route (the browser's call will be refused anyway). */
    record Nowhere() implements Reach {}
  }

  /** Whether a REFER from the peer of a call from {@code origin} may lead to {@code reach}. */
  public static boolean allows(CallOrigin origin, Reach reach) {
    if (origin instanceof CallOrigin.Unchecked
        || origin instanceof CallOrigin.Dialled
        || reach instanceof Reach.Nowhere) {
      return true;
    }
    if (reach instanceof Reach.BrowserUser) {
      return true;
    }
    if (reach instanceof Reach.Account) {
      return origin instanceof CallOrigin.Destination || origin instanceof CallOrigin.Phone;
    }
    Reach.Sip sip = (Reach.Sip) reach;
    return origin instanceof CallOrigin.Destination d
        && sip.destinations().equals(Set.of(d.name()));
  }
}

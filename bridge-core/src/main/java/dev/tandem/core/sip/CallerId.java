package dev.tandem.core.sip;

import java.util.Objects;
import java.util.Optional;

/**
 * Who an outgoing INVITE says is calling: the From display name, user and domain ({@code domain}
 * empty: the bridge's own address there), whether the same identity is also sent in a
 * P-Asserted-Identity or P-Preferred-Identity header (RFC 3325), and whether the caller asked to be
 * anonymous (then From is {@code "Anonymous" <sip:anonymous@anonymous.invalid>}, the identity goes
 * only in that header, with {@code Privacy: id}, RFC 3323).
 */
public record CallerId(
    Optional<String> displayName,
    String user,
    Optional<String> domain,
    TrunkIdentity.IdentityHeader header,
    boolean anonymous) {
  public CallerId {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(header, "header");
  }

  /** {@code sip:<user>@<the bridge>}, nothing more: what an INVITE says by default. */
  public static CallerId of(String user) {
    return new CallerId(
        Optional.empty(), user, Optional.empty(), TrunkIdentity.IdentityHeader.NONE, false);
  }
}

package dev.tandem.core.browser;

import java.util.Objects;
import java.util.Optional;

/**
 * Who calls, as {@code call.incoming} shows it, the same shape for a browser user, a phone, a trunk
 * or another bridge.
 *
 * @param user the caller's user: the browser user, or the user part of the SIP From URI (a number
 *     for {@code tel:} URIs); empty when the From has none
 * @param displayName the From's display name, if it has one
 * @param uri the From URI of a SIP caller; empty for a browser user
 */
public record Caller(String user, Optional<String> displayName, Optional<String> uri) {
  public Caller {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(uri, "uri");
  }

  /** A browser user of this bridge. */
  public static Caller browserUser(String user) {
    return new Caller(user, Optional.empty(), Optional.empty());
  }
}

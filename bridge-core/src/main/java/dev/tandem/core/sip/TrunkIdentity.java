package dev.tandem.core.sip;

import dev.tandem.core.browser.UserProfile;
import java.util.Objects;
import java.util.Optional;

/**
 * How the bridge presents a browser user to one destination: the From user (the browser user's
 * name, the user's own number, or a fixed account / DID), display name and domain; whether the
 * identity is also asserted in P-Asserted-Identity or P-Preferred-Identity (RFC 3325); whether a
 * user may call there anonymously (RFC 3323). The one place these rules live.
 *
 * @param fixedUser the From user for {@link FromUser#FIXED}, and for {@link FromUser#NUMBER} when
 *     the caller has no number
 * @param fixedDisplayName the display name for {@link DisplayName#FIXED}
 * @param fromDomain the From domain; absent: the destination's domain, else the bridge's address
 */
public record TrunkIdentity(
    FromUser fromUser,
    Optional<String> fixedUser,
    DisplayName displayName,
    Optional<String> fixedDisplayName,
    Optional<String> fromDomain,
    IdentityHeader header,
    boolean anonymousAllowed) {

  /** The browser user's name at the bridge's address, no identity header, no anonymous calls. */
  public static final TrunkIdentity DEFAULT =
      new TrunkIdentity(
          FromUser.BROWSER_USER,
          Optional.empty(),
          DisplayName.NONE,
          Optional.empty(),
          Optional.empty(),
          IdentityHeader.NONE,
          false);

  public TrunkIdentity {
    Objects.requireNonNull(fromUser, "fromUser");
    Objects.requireNonNull(fixedUser, "fixedUser");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(fixedDisplayName, "fixedDisplayName");
    Objects.requireNonNull(fromDomain, "fromDomain");
    Objects.requireNonNull(header, "header");
    if (fromUser == FromUser.FIXED && fixedUser.isEmpty()) {
      throw new IllegalArgumentException("a fixed From user needs the user");
    }
    if (displayName == DisplayName.FIXED && fixedDisplayName.isEmpty()) {
      throw new IllegalArgumentException("a fixed display name needs the name");
    }
  }

  /** Where the From user comes from. */
  public enum FromUser {
    /** The browser user's name (as without any setting). */
    BROWSER_USER,
    /** The user's own number (user directory or token), else {@code fixedUser}. */
    NUMBER,
    /** Always {@code fixedUser} (an account or the trunk's main number). */
    FIXED
  }

  /** Where the From display name comes from. */
  public enum DisplayName {
    NONE,
    /** The user's display name (user directory or token), none when it has none. */
    USER,
    FIXED
  }

  /** The RFC 3325 header that carries the caller's identity next to From. */
  public enum IdentityHeader {
    NONE,
    /** P-Asserted-Identity: the destination trusts the bridge to assert it. */
    PAI,
    /** P-Preferred-Identity: the destination asserts it after authenticating the bridge. */
    PPI
  }

  /** Why {@code caller} cannot call through {@code destination} this way, or empty. */
  public Optional<String> refusal(UserProfile caller, boolean anonymous, String destination) {
    if (anonymous && !anonymousAllowed) {
      return Optional.of("anonymous calls through " + destination + " are not allowed");
    }
    if (fromUser == FromUser.NUMBER && caller.number().isEmpty() && fixedUser.isEmpty()) {
      return Optional.of(
          caller.user()
              + " has no number (user directory or token) to call through "
              + destination
              + " with");
    }
    return Optional.empty();
  }

  /**
   * The identity {@code caller} calls with (valid when {@link #refusal} found nothing).
   *
   * @param destinationDomain the destination's domain, the From domain unless one is set here
   * @param ownAddress the caller's own address of record at the destination (upstream mode): its
   *     user and domain win over this identity's
   */
  public CallerId callerId(
      UserProfile caller,
      Optional<String> destinationDomain,
      Optional<String> ownAddress,
      boolean anonymous) {
    String user =
        switch (fromUser) {
          case BROWSER_USER -> caller.user();
          case NUMBER -> caller.number().or(() -> fixedUser).orElseThrow();
          case FIXED -> fixedUser.orElseThrow();
        };
    Optional<String> domain = fromDomain.or(() -> destinationDomain);
    if (ownAddress.isPresent()) {
      user = SipUris.user(ownAddress.get()).orElse(user);
      domain = SipUris.host(ownAddress.get()).or(() -> fromDomain);
    }
    Optional<String> display =
        switch (displayName) {
          case NONE -> Optional.empty();
          case USER -> caller.displayName();
          case FIXED -> fixedDisplayName;
        };
    return new CallerId(display, user, domain, header, anonymous);
  }
}

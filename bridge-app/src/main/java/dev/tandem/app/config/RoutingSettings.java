package dev.tandem.app.config;

import dev.tandem.core.browser.UserProfile;
import dev.tandem.core.config.NotBlank;
import dev.tandem.core.config.Range;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.dialplan.DialRule;
import dev.tandem.core.inbound.Cidr;
import dev.tandem.core.inbound.TrustedSources;
import dev.tandem.core.sip.Destination;
import dev.tandem.core.sip.TrunkIdentity;
import dev.tandem.sdp.translate.MediaEncryption;
import dev.tandem.sip.SipTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code routing} section: SIP destinations, the dial plan, and who may dial what.
 *
 * @param destinations name → a PBX or trunk INVITEs are sent to
 * @param groups group name → destination names, tried in that order (failover); a dial-plan rule
 *     may name a group
 * @param dialPlan rules tried in order; the first whose pattern matches the whole dialled string
 * @param permissions which rules each user may use
 * @param inbound where INVITEs from SIP go (called numbers, ring groups) and who may send them
 */
public record RoutingSettings(
    Map<String, DestinationSettings> destinations,
    Map<String, List<String>> groups,
    List<DialRuleSettings> dialPlan,
    PermissionSettings permissions,
    InboundSettings inbound)
    implements SelfChecking {
  private static final Logger log = LoggerFactory.getLogger(RoutingSettings.class);

  public RoutingSettings {
    destinations = Map.copyOf(destinations);
    groups = Map.copyOf(groups);
    dialPlan = List.copyOf(dialPlan);
  }

  /** No destinations: browser-to-browser calls only. */
  public static RoutingSettings defaults() {
    return new RoutingSettings(
        Map.of(), Map.of(), List.of(), PermissionSettings.defaults(), InboundSettings.defaults());
  }

  /**
   * A SIP destination. Username and password come together or not at all; {@code dtmf} says how
   * browsers send it DTMF ({@code auto}: RFC 4733 when its SDP has telephone-event, else INFO);
   * {@code domain} the domain it serves (Request-URI and To; host:port is then only the next hop);
   * {@code from}, {@code identityHeader} and {@code anonymous} how callers are presented to it
   * ({@code anonymous} absent: allowed where there is an identity header). {@code sources}: the
   * addresses (IP or CIDR, IPv4 or IPv6) its requests may come from; none given: the addresses of
   * {@code host}. {@code mediaEncryption}: {@code plain} RTP, {@code sdes-preferred} (offer
   * SDES-SRTP, accept plain) or {@code sdes-required} (SDES-SRTP or no call), see {@link
   * MediaEncryption}. {@code webrtc}: the destination speaks WebRTC itself (another Tandem node, a
   * WebRTC-capable SIP server): browsers' SDP goes to it as it is, media end to end, no relay.
   * {@code video}: whether video crosses to and from it (default true); false refuses video m-lines
   * with port 0 both ways and the call carries audio only (docs/video.md).
   */
  public record DestinationSettings(
      @NotBlank String host,
      @Range(min = 1, max = 65535) int port,
      SipTransport transport,
      Optional<String> username,
      Optional<String> password,
      Destination.DtmfMode dtmf,
      Optional<Duration> keepalive,
      Optional<String> domain,
      FromSettings from,
      TrunkIdentity.IdentityHeader identityHeader,
      Optional<Boolean> anonymous,
      Optional<List<String>> sources,
      MediaEncryption mediaEncryption,
      boolean webrtc,
      boolean video)
      implements SelfChecking {
    public static DestinationSettings defaults() {
      return new DestinationSettings(
          "127.0.0.1",
          5060,
          SipTransport.UDP,
          Optional.empty(),
          Optional.empty(),
          Destination.DtmfMode.AUTO,
          Optional.empty(),
          Optional.empty(),
          FromSettings.defaults(),
          TrunkIdentity.IdentityHeader.NONE,
          Optional.empty(),
          Optional.empty(),
          MediaEncryption.PLAIN,
          false,
          true);
    }

    @Override
    public void check(Problems problems) {
      keepalive
          .filter(
              k -> k.compareTo(Duration.ofSeconds(1)) < 0 || k.compareTo(Duration.ofHours(1)) > 0)
          .ifPresent(k -> problems.add("keepalive", "must be between 1s and 1h"));
      if (username.isPresent() != password.isPresent()) {
        problems.add(
            username.isPresent() ? "password" : "username", "username and password go together");
      }
      domain
          .filter(d -> !SipNames.isDomain(d))
          .ifPresent(d -> problems.add("domain", SipNames.notADomain(d)));
      if (webrtc && mediaEncryption != MediaEncryption.PLAIN) {
        problems.add(
            "media-encryption", "does not apply with webrtc: true (media is DTLS-SRTP end to end)");
      }
      if (webrtc && !video) {
        problems.add(
            "video",
            "does not apply with webrtc: true (the browsers' SDP goes end to end as it is)");
      }
      List<String> given = sources.orElse(List.of());
      for (int i = 0; i < given.size(); i++) {
        try {
          Cidr.parse(given.get(i));
        } catch (IllegalArgumentException e) {
          problems.add("sources[" + i + "]", e.getMessage());
        }
      }
    }

    /**
     * The blocks its requests may come from: {@code sources}, else the addresses {@code host}
     * resolves to now (a name that does not resolve gives none, and a warning).
     */
    List<Cidr> trustedSources(String name) {
      if (sources.isPresent()) {
        return sources.get().stream().map(Cidr::parse).toList();
      }
      Optional<InetAddress> literal = Cidr.address(host);
      if (literal.isPresent()) {
        return List.of(Cidr.parse(literal.get().getHostAddress()));
      }
      try {
        return Arrays.stream(InetAddress.getAllByName(host))
            .map(a -> Cidr.parse(a.getHostAddress()))
            .toList();
      } catch (UnknownHostException e) {
        log.warn(
            "routing.destinations.{}: {} does not resolve; no source is trusted for it"
                + " (set sources)",
            name,
            host);
        return List.of();
      }
    }

    Destination toDestination(String name) {
      return new Destination(
          name,
          host,
          port,
          transport.toDestination(),
          username.map(u -> new Destination.DigestCredentials(u, password.orElseThrow())),
          dtmf,
          domain,
          new TrunkIdentity(
              from.user(),
              from.fixedUser(),
              from.displayName(),
              from.fixedDisplayName(),
              from.domain(),
              identityHeader,
              anonymous.orElse(identityHeader != TrunkIdentity.IdentityHeader.NONE)));
    }

    @Override
    public String toString() {
      return "DestinationSettings["
          + host
          + ":"
          + port
          + "/"
          + transport
          + domain.map(d -> ", domain " + d).orElse("")
          + username.map(u -> ", user " + u).orElse("")
          + ", dtmf "
          + dtmf
          + (mediaEncryption == MediaEncryption.PLAIN ? "" : ", media " + mediaEncryption)
          + (video ? "" : ", audio only")
          + keepalive.map(k -> ", keepalive " + k.toSeconds() + "s").orElse("")
          + ", "
          + from
          + ", identity-header "
          + identityHeader
          + anonymous.map(a -> ", anonymous " + a).orElse("")
          + sources.map(s -> ", sources " + s).orElse("")
          + "]";
    }
  }

  /**
   * The From of INVITEs to a destination.
   *
   * @param user where the From user comes from: {@code browser-user}, {@code number} (the user's
   *     own, else {@code fixed-user}), {@code fixed}
   * @param fixedUser the account or DID for {@code fixed} (and {@code number}'s fallback)
   * @param displayName {@code none}, {@code user} (the user's display name), {@code fixed}
   * @param fixedDisplayName the display name for {@code fixed}
   * @param domain the From domain; absent: the destination's domain, else the bridge's address
   */
  public record FromSettings(
      TrunkIdentity.FromUser user,
      Optional<String> fixedUser,
      TrunkIdentity.DisplayName displayName,
      Optional<String> fixedDisplayName,
      Optional<String> domain)
      implements SelfChecking {
    public static FromSettings defaults() {
      return new FromSettings(
          TrunkIdentity.FromUser.BROWSER_USER,
          Optional.empty(),
          TrunkIdentity.DisplayName.NONE,
          Optional.empty(),
          Optional.empty());
    }

    @Override
    public void check(Problems problems) {
      if (user == TrunkIdentity.FromUser.FIXED && fixedUser.isEmpty()) {
        problems.add("fixed-user", "user: fixed needs the account or number here");
      }
      if (user == TrunkIdentity.FromUser.BROWSER_USER && fixedUser.isPresent()) {
        problems.add("fixed-user", "is used only with user: fixed or number");
      }
      fixedUser
          .filter(u -> !SipNames.isUser(u))
          .ifPresent(u -> problems.add("fixed-user", SipNames.notAUser(u)));
      if (displayName == TrunkIdentity.DisplayName.FIXED && fixedDisplayName.isEmpty()) {
        problems.add("fixed-display-name", "display-name: fixed needs the name here");
      }
      if (displayName != TrunkIdentity.DisplayName.FIXED && fixedDisplayName.isPresent()) {
        problems.add("fixed-display-name", "is used only with display-name: fixed");
      }
      fixedDisplayName
          .filter(n -> !UserProfile.displayName(n).equals(Optional.of(n)))
          .ifPresent(
              n ->
                  problems.add(
                      "fixed-display-name",
                      "must be 1.."
                          + UserProfile.MAX_DISPLAY_NAME
                          + " characters without control characters"));
      domain
          .filter(d -> !SipNames.isDomain(d))
          .ifPresent(d -> problems.add("domain", SipNames.notADomain(d)));
    }

    @Override
    public String toString() {
      return "from "
          + ConfigTypes.enumKey(user)
          + fixedUser.map(u -> " " + u).orElse("")
          + ", display-name "
          + ConfigTypes.enumKey(displayName)
          + fixedDisplayName.map(n -> " " + n).orElse("")
          + domain.map(d -> " @" + d).orElse("");
    }
  }

  /** One dial-plan rule: a Java regular expression matched against the whole dialled string. */
  public record DialRuleSettings(
      @NotBlank String name, @NotBlank String pattern, @NotBlank String destination) {}

  /**
   * @param everyone rule names every user may use
   * @param users user → rule names, replacing {@code everyone} for that user
   */
  public record PermissionSettings(List<String> everyone, Map<String, List<String>> users) {
    public static PermissionSettings defaults() {
      return new PermissionSettings(List.of(), Map.of());
    }
  }

  @Override
  public void check(Problems problems) {
    groups.forEach(
        (group, members) -> {
          if (destinations.containsKey(group)) {
            problems.add("groups." + group, "a destination has the same name");
          }
          if (members.isEmpty()) {
            problems.add("groups." + group, "needs at least one destination");
          }
          members.stream()
              .filter(m -> !destinations.containsKey(m))
              .forEach(m -> problems.add("groups." + group, "no destination named " + m));
        });
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < dialPlan.size(); i++) {
      DialRuleSettings rule = dialPlan.get(i);
      String at = "dial-plan[" + i + "]";
      if (!names.add(rule.name())) {
        problems.add(at + ".name", "duplicates an earlier rule name");
      }
      if (!destinations.containsKey(rule.destination())
          && !groups.containsKey(rule.destination())) {
        problems.add(
            at + ".destination",
            "no destination or group named "
                + rule.destination()
                + " (have: "
                + destinations.keySet()
                + (groups.isEmpty() ? "" : ", groups " + groups.keySet())
                + ")");
      }
      try {
        Pattern.compile(rule.pattern());
      } catch (PatternSyntaxException e) {
        problems.add(at + ".pattern", "not a regular expression: " + e.getDescription());
      }
    }
    permissions.everyone().stream()
        .filter(n -> !names.contains(n))
        .forEach(n -> problems.add("permissions.everyone", "no dial-plan rule named " + n));
    permissions
        .users()
        .forEach(
            (user, rules) ->
                rules.stream()
                    .filter(n -> !names.contains(n))
                    .forEach(
                        n ->
                            problems.add(
                                "permissions.users." + user, "no dial-plan rule named " + n)));
  }

  /**
   * Each destination's trusted source blocks, destinations in name order (when blocks of several
   * contain an address, the first by name is where a request from there comes from).
   */
  public TrustedSources trustedSources() {
    Map<String, List<Cidr>> byName = new LinkedHashMap<>();
    new java.util.TreeMap<>(destinations)
        .forEach((name, d) -> byName.put(name, d.trustedSources(name)));
    return new TrustedSources(byName);
  }

  /** Each destination that asks for OPTIONS keepalives, with its interval. */
  public Map<Destination, Duration> keepalives() {
    Map<Destination, Duration> result = new LinkedHashMap<>();
    destinationsByName()
        .forEach((name, d) -> destinations.get(name).keepalive().ifPresent(k -> result.put(d, k)));
    return result;
  }

  /** The destinations by name, as core sees them. */
  /** Destination name → its media policy ({@code media-encryption}). */
  public Map<String, MediaEncryption> mediaEncryptionByName() {
    Map<String, MediaEncryption> byName = new LinkedHashMap<>();
    destinations.forEach((name, d) -> byName.put(name, d.mediaEncryption()));
    return byName;
  }

  /** The destinations that carry no video ({@code video: false}). */
  public java.util.Set<String> audioOnly() {
    return destinations.entrySet().stream()
        .filter(e -> !e.getValue().video())
        .map(Map.Entry::getKey)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** The destinations that speak WebRTC themselves ({@code webrtc: true}). */
  public java.util.Set<String> webrtcPeers() {
    return destinations.entrySet().stream()
        .filter(e -> e.getValue().webrtc())
        .map(Map.Entry::getKey)
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  public Map<String, Destination> destinationsByName() {
    Map<String, Destination> byName = new LinkedHashMap<>();
    destinations.forEach((name, d) -> byName.put(name, d.toDestination(name)));
    return byName;
  }

  /** The core dial plan these settings describe (valid once {@link #check} found nothing). */
  public DialPlan toDialPlan() {
    Map<String, Destination> byName = destinationsByName();
    List<DialRule> rules =
        dialPlan.stream()
            .map(r -> new DialRule(r.name(), Pattern.compile(r.pattern()), r.destination()))
            .toList();
    Map<String, Set<String>> perUser = new LinkedHashMap<>();
    permissions.users().forEach((user, names) -> perUser.put(user, Set.copyOf(names)));
    return new DialPlan(rules, byName, groups, perUser, Set.copyOf(permissions.everyone()));
  }
}

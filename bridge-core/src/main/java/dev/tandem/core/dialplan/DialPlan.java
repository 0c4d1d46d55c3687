package dev.tandem.core.dialplan;

import dev.tandem.core.sip.Destination;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that decides where a dialled string goes, and whether this user may go there: the
 * rules are tried in order, the first match wins; a user may use the rules named in its permissions
 * (or the default permissions). A string no rule matches that looks like a user name is a
 * browser-to-browser call.
 *
 * <p>A rule names a destination or a group of them; a group's destinations are tried in order
 * (failover).
 *
 * <p>The Request-URI: a dialled {@code sip:} URI is used as it is (the destination is the outbound
 * proxy); anything else becomes {@code sip:<dialled>@<domain>} of a destination that serves a
 * domain (its host and port are then only the next hop), else {@code sip:<dialled>@<host>:<port>}.
 */
public final class DialPlan {
  /** Browser user names: what JWT {@code sub} and static users may be. */
  public static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final Pattern SIP_URI =
      Pattern.compile("sips?:[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);

  private final List<DialRule> rules;
  private final Map<String, Destination> destinations;
  private final Map<String, List<String>> groups;
  private final Map<String, Set<String>> permissions;
  private final Set<String> defaultPermissions;

  /**
   * @param permissions user → names of the rules the user may use
   * @param defaultPermissions the rules users not in {@code permissions} may use
   */
  public DialPlan(
      List<DialRule> rules,
      Map<String, Destination> destinations,
      Map<String, Set<String>> permissions,
      Set<String> defaultPermissions) {
    this(rules, destinations, Map.of(), permissions, defaultPermissions);
  }

  /**
   * @param groups group name → destination names, tried in that order (failover); a rule may name a
   *     group instead of a destination
   */
  public DialPlan(
      List<DialRule> rules,
      Map<String, Destination> destinations,
      Map<String, List<String>> groups,
      Map<String, Set<String>> permissions,
      Set<String> defaultPermissions) {
    groups.forEach(
        (name, members) ->
            members.forEach(
                m -> {
                  if (!destinations.containsKey(m)) {
                    throw new IllegalArgumentException(
                        "group " + name + " names unknown destination " + m);
                  }
                }));
    for (DialRule rule : rules) {
      if (!destinations.containsKey(rule.destination())
          && !groups.containsKey(rule.destination())) {
        throw new IllegalArgumentException(
            "dial rule " + rule.name() + " names unknown destination " + rule.destination());
      }
    }
    this.rules = List.copyOf(rules);
    this.destinations = Map.copyOf(destinations);
    this.groups = Map.copyOf(groups);
    this.permissions = Map.copyOf(permissions);
    this.defaultPermissions = Set.copyOf(defaultPermissions);
  }

  /** A plan with no SIP destinations: only browser-to-browser calls. */
  public static DialPlan usersOnly() {
    return new DialPlan(List.of(), Map.of(), Map.of(), Set.of());
  }

  public Routing route(String user, String dialled) {
    String to = dialled.strip();
    Optional<DialRule> match = rules.stream().filter(r -> r.matches(to)).findFirst();
    if (match.isEmpty()) {
      if (USER_NAME.matcher(to).matches()) {
        return new Routing.ToUser(to);
      }
      return new Routing.Refused(
          false,
          rules.isEmpty()
              ? "no route to '" + to + "': calls to SIP destinations need a dial plan"
              : "no route to '" + to + "': no dial-plan rule matches");
    }
    DialRule rule = match.get();
    if (!permissions.getOrDefault(user, defaultPermissions).contains(rule.name())) {
      return new Routing.Refused(
          true, user + " may not call '" + to + "' (dial-plan rule " + rule.name() + ")");
    }
    List<String> names = groups.getOrDefault(rule.destination(), List.of(rule.destination()));
    return new Routing.ToSip(
        names.stream()
            .map(destinations::get)
            .map(d -> new Route(rule, d, requestUri(to, d)))
            .toList());
  }

  private static String requestUri(String to, Destination destination) {
    if (SIP_URI.matcher(to).matches()) {
      return to;
    }
    if (destination.domain().isPresent()) {
      return "sip:" + to + "@" + destination.domain().get();
    }
    String transport =
        destination.transport() == Destination.Transport.UDP
            ? ""
            : ";transport=" + destination.transport().name().toLowerCase(Locale.ROOT);
    return "sip:" + to + "@" + hostPort(destination) + transport;
  }

  private static String hostPort(Destination d) {
    String host =
        d.host().contains(":") && !d.host().startsWith("[") ? "[" + d.host() + "]" : d.host();
    return host + ":" + d.port();
  }
}

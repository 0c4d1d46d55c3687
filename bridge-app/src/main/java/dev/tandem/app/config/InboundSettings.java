package dev.tandem.app.config;

import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.dialplan.DialPlan;
import dev.tandem.core.inbound.InboundPolicy;
import dev.tandem.core.inbound.InboundTable;
import dev.tandem.core.inbound.InboundTarget;
import dev.tandem.core.inbound.NumberPattern;
import dev.tandem.core.inbound.NumberPlan;
import dev.tandem.core.inbound.TrustedSources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The {@code routing.inbound} section: where INVITEs from SIP go, and who may send them.
 *
 * @param countryCode the default country code of national numbers (digits, e.g. {@code "1"}, {@code
 *     "49"}); none: bare digits are taken as international
 * @param internationalPrefix digits that dial out of the country ({@code 00}; {@code 011} in the
 *     NANP)
 * @param nationalPrefix the trunk prefix of national numbers ({@code 0}; empty for none)
 * @param numbers called number or pattern → a browser user or a ring group name
 * @param ringGroups group name → browser users rung in parallel
 * @param fallback a user or ring group for called numbers no entry matches
 * @param allowAnySource whether requests from any address may ring browser users (not only
 *     destinations' sources, registered phones and authenticated callers)
 */
public record InboundSettings(
    Optional<String> countryCode,
    String internationalPrefix,
    String nationalPrefix,
    Map<String, String> numbers,
    Map<String, List<String>> ringGroups,
    Optional<String> fallback,
    boolean allowAnySource)
    implements SelfChecking {

  public InboundSettings {
    numbers = Map.copyOf(numbers);
    ringGroups = Map.copyOf(ringGroups);
  }

  /** No table, closed to unknown sources. */
  public static InboundSettings defaults() {
    return new InboundSettings(
        Optional.empty(), "00", "0", Map.of(), Map.of(), Optional.empty(), false);
  }

  @Override
  public void check(Problems problems) {
    Optional<NumberPlan> plan = plan(problems);
    ringGroups.forEach(
        (name, users) -> {
          String at = "ring-groups." + name;
          if (users.isEmpty()) {
            problems.add(at, "needs at least one user");
          }
          Set<String> seen = new LinkedHashSet<>();
          for (String user : users) {
            if (!DialPlan.USER_NAME.matcher(user).matches()) {
              problems.add(at, "'" + user + "' is not a user name");
            } else if (!seen.add(user)) {
              problems.add(at, user + " is named twice");
            }
          }
        });
    fallback
        .filter(f -> !isTarget(f))
        .ifPresent(
            f -> problems.add("fallback", "'" + f + "' is neither a user name nor a ring group"));
    if (plan.isEmpty()) {
      return;
    }
    Map<String, NumberPattern> parsed = new TreeMap<>();
    numbers.forEach(
        (number, target) -> {
          String at = "numbers." + number;
          if (!isTarget(target)) {
            problems.add(at, "'" + target + "' is neither a user name nor a ring group");
          }
          try {
            parsed.put(number, NumberPattern.parse(number, plan.get()));
          } catch (IllegalArgumentException e) {
            problems.add(at, e.getMessage());
          }
        });
    List<Map.Entry<String, NumberPattern>> all = new ArrayList<>(parsed.entrySet());
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        if (all.get(i).getValue().conflictsWith(all.get(j).getValue())) {
          problems.add(
              "numbers." + all.get(j).getKey(),
              "overlaps "
                  + all.get(i).getKey()
                  + " (as "
                  + all.get(j).getValue()
                  + " and "
                  + all.get(i).getValue()
                  + ", equally specific: neither would win)");
        }
      }
    }
  }

  private Optional<NumberPlan> plan(Problems problems) {
    try {
      return Optional.of(new NumberPlan(countryCode, internationalPrefix, nationalPrefix));
    } catch (IllegalArgumentException e) {
      String key =
          e.getMessage().contains("country")
              ? "country-code"
              : e.getMessage().contains("international")
                  ? "international-prefix"
                  : "national-prefix";
      problems.add(key, e.getMessage());
      return Optional.empty();
    }
  }

  private boolean isTarget(String name) {
    return ringGroups.containsKey(name) || DialPlan.USER_NAME.matcher(name).matches();
  }

  /** A ring group when one has that name, else the user. */
  private InboundTarget target(String name) {
    List<String> members = ringGroups.get(name);
    return members != null ? new InboundTarget.Group(name, members) : new InboundTarget.User(name);
  }

  /** The table these settings describe (valid once {@link #check} found nothing). */
  public InboundTable toTable() {
    NumberPlan plan = new NumberPlan(countryCode, internationalPrefix, nationalPrefix);
    List<InboundTable.Entry> entries = new ArrayList<>();
    new TreeMap<>(numbers)
        .forEach(
            (number, name) ->
                entries.add(
                    new InboundTable.Entry(NumberPattern.parse(number, plan), target(name))));
    return new InboundTable(plan, entries, fallback.map(this::target));
  }

  /** Every user the table names: entries, ring groups and the fallback. */
  public Set<String> users() {
    Set<String> users = new LinkedHashSet<>();
    numbers.values().stream().filter(n -> !ringGroups.containsKey(n)).forEach(users::add);
    fallback.filter(f -> !ringGroups.containsKey(f)).ifPresent(users::add);
    ringGroups.values().forEach(users::addAll);
    return users;
  }

  /**
   * The core rule.
   *
   * @param otherUsers users known besides the table's (static users, upstream accounts)
   */
  public InboundPolicy toPolicy(TrustedSources sources, Set<String> otherUsers) {
    Set<String> known = new LinkedHashSet<>(users());
    known.addAll(otherUsers);
    Predicate<String> configured = Set.copyOf(known)::contains;
    return new InboundPolicy(toTable(), sources, allowAnySource, configured);
  }
}

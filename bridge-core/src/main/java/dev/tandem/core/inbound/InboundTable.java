package dev.tandem.core.inbound;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an INVITE for a called number goes: the most specific entry whose pattern matches the
 * normalised Request-URI user ({@link NumberPattern}), else the fallback, else nothing (the caller
 * then rings the browser user named by the Request-URI, as without a table).
 */
public final class InboundTable {
  /** One row: a number or pattern and who it rings. */
  public record Entry(NumberPattern pattern, InboundTarget target) {
    public Entry {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(target, "target");
    }
  }

  /** No numbers, no fallback. */
  public static final InboundTable EMPTY =
      new InboundTable(NumberPlan.defaults(), List.of(), Optional.empty());

  private final NumberPlan plan;
  private final List<Entry> entries;
  private final Optional<InboundTarget> fallback;

  /**
   * @param entries no two of which conflict ({@link NumberPattern#conflictsWith}); configuration
   *     checks that first
   * @throws IllegalArgumentException when two entries conflict
   */
  public InboundTable(NumberPlan plan, List<Entry> entries, Optional<InboundTarget> fallback) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    for (int i = 0; i < entries.size(); i++) {
      for (int j = i + 1; j < entries.size(); j++) {
        if (entries.get(i).pattern().conflictsWith(entries.get(j).pattern())) {
          throw new IllegalArgumentException(
              entries.get(i).pattern() + " and " + entries.get(j).pattern() + " overlap");
        }
      }
    }
    this.entries =
        entries.stream()
            .sorted(Comparator.comparingInt((Entry e) -> e.pattern().specificity()).reversed())
            .toList();
  }

  /** Who a call to {@code calledUser} (the Request-URI user) rings, if the table says. */
  public Optional<InboundTarget> route(String calledUser) {
    Optional<String> number = plan.normalise(calledUser);
    if (number.isPresent()) {
      for (Entry e : entries) {
        if (e.pattern().matches(number.get())) {
          return Optional.of(e.target());
        }
      }
    }
    return fallback;
  }

  /** Every browser user the table names (entries, groups, fallback). */
  public List<String> users() {
    return java.util.stream.Stream.concat(entries.stream().map(Entry::target), fallback.stream())
        .flatMap(t -> t.users().stream())
        .distinct()
        .toList();
  }
}

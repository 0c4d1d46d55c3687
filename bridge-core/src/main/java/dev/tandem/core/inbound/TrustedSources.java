package dev.tandem.core.inbound;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The addresses each routing destination's requests may come from ({@code
 * routing.destinations.<name>.sources}, by default the destination's host addresses).
 */
public final class TrustedSources {
  public static final TrustedSources NONE = new TrustedSources(Map.of());

  private final Map<String, List<Cidr>> byDestination;

  /**
   * @param byDestination destination name → its blocks, in the order they are checked
   */
  public TrustedSources(Map<String, List<Cidr>> byDestination) {
    Map<String, List<Cidr>> copy = new LinkedHashMap<>();
    byDestination.forEach((name, blocks) -> copy.put(name, List.copyOf(blocks)));
    this.byDestination = copy;
  }

  /** The first destination (in configuration order) whose sources contain {@code address}. */
  public Optional<String> destinationOf(InetAddress address) {
    for (Map.Entry<String, List<Cidr>> e : byDestination.entrySet()) {
      for (Cidr block : e.getValue()) {
        if (block.contains(address)) {
          return Optional.of(e.getKey());
        }
      }
    }
    return Optional.empty();
  }

  /** The blocks of {@code destination}; empty for an unknown one. */
  public List<Cidr> of(String destination) {
    return byDestination.getOrDefault(destination, List.of());
  }
}

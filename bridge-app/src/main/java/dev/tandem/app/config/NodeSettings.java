package dev.tandem.app.config;

import dev.tandem.core.config.SelfChecking;
import dev.tandem.core.vocabulary.NodeId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The {@code node} section: this bridge's name among several (docs/scaling.md).
 *
 * @param id the node id; the host's name (its first label) when absent
 */
public record NodeSettings(Optional<String> id) implements SelfChecking {

  public static NodeSettings defaults() {
    return new NodeSettings(Optional.empty());
  }

  @Override
  public void check(Problems problems) {
    id.filter(i -> !NodeId.valid(i))
        .ifPresent(
            i ->
                problems.add(
                    "id",
                    "must be 1..63 of A-Z a-z 0-9 _ -, starting with a letter or digit: " + i));
  }

  /** The configured id, else one made of the host's name. */
  public NodeId nodeId() {
    return id.map(NodeId::new).orElseGet(NodeSettings::ofHost);
  }

  private static NodeId ofHost() {
    try {
      return NodeId.ofHostName(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      return NodeId.ofHostName(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("node"));
    }
  }
}

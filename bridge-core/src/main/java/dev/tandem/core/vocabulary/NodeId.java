package dev.tandem.core.vocabulary;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This bridge node's name among several behind one SIP domain and one WebSocket load balancer: in
 * its resume tokens and session results (so that a reconnect can be sent back to it) and, as an RFC
 * 5626 instance id, in the Contact of its upstream registrations (so that a restarted node's
 * REGISTER replaces its old bindings instead of adding to them). Stable across restarts: it is
 * configured, or the host's name.
 */
public record NodeId(String value) {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** The node of a bridge that was given none (tests, a switchboard used alone). */
  public static final NodeId SINGLE = new NodeId("node");

  public NodeId {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "a node id is 1..63 of A-Z a-z 0-9 _ -, starting with a letter or digit");
    }
  }

  /** Whether {@code text} may be a node id. */
  public static boolean valid(String text) {
    return FORM.matcher(text).matches();
  }

  /**
   * A node id made of a host name: its first label, lower case, characters a node id cannot hold
   * replaced by {@code -}; {@code node} when nothing is left.
   */
  public static NodeId ofHostName(String hostName) {
    String label = hostName.split("\\.", 2)[0].toLowerCase(Locale.ROOT);
    String cleaned = label.replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+", "");
    if (cleaned.length() > 63) {
      cleaned = cleaned.substring(0, 63);
    }
    return new NodeId(cleaned.isEmpty() ? "node" : cleaned);
  }

  /**
   * The RFC 5626 {@code +sip.instance} of this node: a name-based UUID URN (RFC 4122 §4.3), the
   * same for the same node id on every start.
   */
  public String instanceUrn() {
    UUID uuid = UUID.nameUUIDFromBytes(("tandem-node:" + value).getBytes(StandardCharsets.UTF_8));
    return "urn:uuid:" + uuid;
  }

  @Override
  public String toString() {
    return value;
  }
}

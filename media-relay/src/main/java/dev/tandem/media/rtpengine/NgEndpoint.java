package dev.tandem.media.rtpengine;

import java.util.Objects;

/**
 * One rtpengine of a pool: its {@code --listen-ng} address and its share of new calls.
 *
 * @param weight new calls go to the live instances in proportion to their weights
 */
public record NgEndpoint(String host, int port, int weight) {
  public NgEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be at least 1");
    }
  }

  /** {@code host:port}, how logs and errors name the instance. */
  public String name() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}

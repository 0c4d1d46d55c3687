package dev.tandem.core.dialplan;

/** The dial plan's answer for one dialled string. */
public sealed interface Routing {
  /** A browser user of this bridge: a peer-to-peer call. */
  record ToUser(String user) implements Routing {}

  /** A SIP destination, or the destinations of a group in the order they are tried. */
  record ToSip(java.util.List<Route> routes) implements Routing {
    public ToSip {
      routes = java.util.List.copyOf(routes);
      if (routes.isEmpty()) {
        throw new IllegalArgumentException("no route");
      }
    }

    /** The first (or only) route. */
    public Route route() {
      return routes.get(0);
    }
  }

  /** No rule matches, or the user may not use the rule that does. */
  record Refused(boolean forbidden, String message) implements Routing {}
}

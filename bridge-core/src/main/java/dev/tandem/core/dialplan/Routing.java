package dev.tandem.core.dialplan;

/** The dial plan's answer for one dialled string. */
public sealed interface Routing {
  /** A browser user of this bridge: a peer-to-peer call. */
  record ToUser(String user) implements Routing {}

  /** A SIP destination. */
  record ToSip(Route route) implements Routing {}

  /** No rule matches, or the user may not use the rule that does. */
  record Refused(boolean forbidden, String message) implements Routing {}
}

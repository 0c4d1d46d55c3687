package dev.tandem.core.inbound;

import java.util.List;
import java.util.Objects;

/** Who an inbound call rings: one browser user, or a ring group rung in parallel. */
public sealed interface InboundTarget {
  /** The browser users rung, in order. */
  List<String> users();

  /** Every session of one browser user. */
  record User(String name) implements InboundTarget {
    public User {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public List<String> users() {
      return List.of(name);
    }
  }

  /**
   * Every session of every member, in parallel: the first answer wins, the other sessions are told
   * {@code answered-elsewhere}.
   */
  record Group(String name, List<String> users) implements InboundTarget {
    public Group {
      Objects.requireNonNull(name, "name");
      users = List.copyOf(users);
      if (users.isEmpty()) {
        throw new IllegalArgumentException("ring group " + name + " has no member");
      }
    }
  }
}

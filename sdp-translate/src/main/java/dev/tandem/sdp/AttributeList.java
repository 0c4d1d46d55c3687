package dev.tandem.sdp;

import java.util.List;
import java.util.Optional;

/** Lookups shared by session-level and media-level attribute lists. */
final class AttributeList {
  private AttributeList() {}

  /** The value of the first attribute named {@code name}; empty when absent or a property. */
  static Optional<String> first(List<Attribute> attributes, String name) {
    for (Attribute a : attributes) {
      if (a.is(name)) {
        return Optional.ofNullable(a.value());
      }
    }
    return Optional.empty();
  }

  static boolean has(List<Attribute> attributes, String name) {
    for (Attribute a : attributes) {
      if (a.is(name)) {
        return true;
      }
    }
    return false;
  }

  /** The first direction property ({@code a=sendonly}, ...) in the list. */
  static Optional<Direction> direction(List<Attribute> attributes) {
    for (Attribute a : attributes) {
      if (a.value() == null) {
        Optional<Direction> d = Direction.fromAttributeName(a.name());
        if (d.isPresent()) {
          return d;
        }
      }
    }
    return Optional.empty();
  }
}

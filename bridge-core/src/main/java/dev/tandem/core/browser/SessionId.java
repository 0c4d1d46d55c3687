package dev.tandem.core.browser;

import java.util.Objects;

/** One browser session: a tab or device of a user, kept across reconnects by resume. */
public record SessionId(String value) {
  public SessionId {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return value;
  }
}

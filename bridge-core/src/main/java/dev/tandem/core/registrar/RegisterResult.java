package dev.tandem.core.registrar;

import java.util.List;

/** What the location service made of a REGISTER. */
public sealed interface RegisterResult {
  /** Accepted: the account's bindings now (the 200 OK lists them). */
  record Registered(List<Binding> bindings) implements RegisterResult {
    public Registered {
      bindings = List.copyOf(bindings);
    }
  }

  /** Refused whole, nothing changed: the SIP status and reason phrase to answer. */
  record Refused(int status, String reason) implements RegisterResult {}
}

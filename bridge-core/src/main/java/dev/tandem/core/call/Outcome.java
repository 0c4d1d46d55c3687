package dev.tandem.core.call;

import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.Refusal;
import java.util.Objects;
import java.util.OptionalInt;

/** The answer to one browser request. */
public sealed interface Outcome {

  /** Done; nothing to return. */
  record Done() implements Outcome {}

  /** A call was placed; its events follow. */
  record CallPlaced(CallId callId) implements Outcome {}

  /**
   * Refused, with a message for a person and, for bad SDP, the line at fault.
   *
   * @param line the 1-based SDP line number, when the refusal is about one
   */
  record Refused(Refusal refusal, String message, OptionalInt line) implements Outcome {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
      Objects.requireNonNull(message, "message");
    }

    public static Refused of(Refusal refusal, String message) {
      return new Refused(refusal, message, OptionalInt.empty());
    }

    /** The dial plan's refusal: forbidden (403 for a REFER) or not found. */
    public static Refused of(dev.tandem.core.dialplan.Routing.Refused routing) {
      return of(routing.forbidden() ? Refusal.FORBIDDEN : Refusal.NOT_FOUND, routing.message());
    }
  }

  static Outcome done() {
    return new Done();
  }
}

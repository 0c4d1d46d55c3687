package dev.tandem.app.metrics;

import dev.tandem.core.vocabulary.EndReason;
import java.util.Locale;
import java.util.Set;

/**
 * The rule that keeps every label value bounded, in one place: values a peer chooses (a SIP method
 * token, a status code) are folded into a fixed set; Tandem's own enums are spelled as their wire
 * names. No label ever carries a user name, number, address or call id.
 */
final class Labels {
  /** SIP methods that get a label value of their own (RFC 3261 and its extensions Tandem sees). */
  static final Set<String> SIP_METHODS =
      Set.of(
          "INVITE",
          "ACK",
          "BYE",
          "CANCEL",
          "OPTIONS",
          "REGISTER",
          "PRACK",
          "UPDATE",
          "INFO",
          "REFER",
          "NOTIFY",
          "SUBSCRIBE",
          "MESSAGE",
          "PUBLISH");

  /** The label value of any other method. */
  static final String OTHER = "other";

  private Labels() {}

  /** The method as sent, when it is one of {@link #SIP_METHODS}, else {@code other}. */
  static String sipMethod(String method) {
    return SIP_METHODS.contains(method) ? method : OTHER;
  }

  /** The status code as three digits (100..699), else {@code other}. */
  static String sipCode(int status) {
    return status >= 100 && status <= 699 ? Integer.toString(status) : OTHER;
  }

  /** {@code hangup}, {@code remote-hangup}, {@code busy}, ... */
  static String endReason(EndReason reason) {
    return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String sent(boolean sent) {
    return sent ? "sent" : "received";
  }
}

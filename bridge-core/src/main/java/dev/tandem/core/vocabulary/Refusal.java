package dev.tandem.core.vocabulary;

/** Why core refused a request; the adapter maps each to one wire error code. */
public enum Refusal {
  /** No such call, user or destination. */
  NOT_FOUND,
  /** The call is not in a state where the request makes sense (answering an answered call). */
  INVALID_STATE,
  /** Policy forbids it (dial plan, permissions). */
  FORBIDDEN,
  /** The user already has as many calls as allowed. */
  TOO_MANY_CALLS,
  /** The user already has as many sessions as allowed. */
  TOO_MANY_SESSIONS,
  /** The SDP does not parse or cannot be used. */
  BAD_SDP,
  /** The resume token is unknown or its grace period is over. */
  RESUME_EXPIRED,
  /** The bridge is stopping. */
  UNAVAILABLE
}

package dev.tandem.core.vocabulary;

/** Why a call ended, as a browser is told (the wire names are these in lower kebab case). */
public enum EndReason {
  /** This session hung up. */
  HANGUP,
  /** The other side hung up. */
  REMOTE_HANGUP,
  BUSY,
  DECLINED,
  NO_ANSWER,
  /** The callee has no connected session (SIP 480). */
  UNAVAILABLE,
  NOT_FOUND,
  FORBIDDEN,
  /** The caller gave up before an answer. */
  CANCELLED,
  /** Another session of the same user answered. */
  ANSWERED_ELSEWHERE,
  TIMEOUT,
  /** The call was transferred to another party (REFER accepted and completed). */
  TRANSFERRED,
  FAILED,
  /** The session did not come back within the resume grace period. */
  RESUME_EXPIRED,
  SERVER_SHUTDOWN,
  /** An administrator ended the call (the admin API, docs/admin.md). */
  ENDED_BY_ADMIN
}

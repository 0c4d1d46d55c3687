package dev.tandem.sip.upstream;

/** Where one browser user's registration at its PBX stands (metrics count users by it). */
public enum UpstreamState {
  /** The user is not online here: nothing registered, nothing wanted. */
  OFFLINE,
  /** A REGISTER (or un-REGISTER) is on its way and the user is not registered yet. */
  REGISTERING,
  /** The PBX accepted the binding and it has not expired (refreshes included). */
  REGISTERED,
  /** The last REGISTER failed (refused, no answer); it is tried again after retry-interval. */
  FAILED
}

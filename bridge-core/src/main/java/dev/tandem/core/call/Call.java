package dev.tandem.core.call;

import dev.tandem.core.browser.BrowserRequest;
import dev.tandem.core.browser.SessionId;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.EndReason;
import java.util.Set;

/**
 * A call the switchboard routes to: browser to browser ({@link PeerCall}), or bridged to SIP
 * ({@link SipOutboundCall}, {@link SipInboundCall}), or between two registered phones ({@link
 * SipToSipCall}). Each is a state machine confined to the signaling loop, with its transition table
 * in its Javadoc.
 */
sealed interface Call permits PeerCall, SipOutboundCall, SipInboundCall, SipToSipCall {
  CallId id();

  /** Handles one request from {@code from}, one of this call's parties. */
  Outcome on(SessionId from, BrowserRequest request);

  /** A party's session is gone for good (its resume grace period ended). */
  void sessionGone(SessionId session);

  /** Ends the call for everyone, releasing whatever it holds. */
  void end(EndReason reason, String why);

  /**
   * The media backend says this call's browser wants a key frame of the SIP side's video, which the
   * SIP side can only take as SIP INFO ({@link KeyframeRequests}). Calls without such a side ignore
   * it.
   */
  default void keyframeWanted() {}

  /** The sessions in the call right now. */
  Set<SessionId> parties();

  /** The browser users who are parties, fixed for the call's life (the calls-per-user limit). */
  Set<String> users();

  /** What the call is, for an operator (the admin API). */
  CallFacts facts();

  /** How {@code session} sees the call, for a resumed session. */
  SessionOutcome.CallSummary summary(SessionId session);
}

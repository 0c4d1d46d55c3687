package dev.tandem.core.call;

import dev.tandem.core.browser.SessionId;
import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.NodeId;
import dev.tandem.core.vocabulary.Refusal;
import java.util.List;

/** The answer to opening or resuming a browser session. */
public sealed interface SessionOutcome {

  /**
   * The session is open.
   *
   * @param resumeToken the secret that resumes this session after a dropped connection; a new one
   *     is issued at every resume
   * @param calls the calls the session is in (after a resume)
   */
  /**
   * @param node the node that holds the session (its resume token starts with it too): where a load
   *     balancer sends the session's reconnects
   */
  record Opened(
      SessionId sessionId, String user, String resumeToken, NodeId node, List<CallSummary> calls)
      implements SessionOutcome {}

  record Refused(Refusal refusal, String message) implements SessionOutcome {}

  /** A call as a resumed session sees it. */
  record CallSummary(CallId callId, String state, boolean outgoing, String peer) {}
}

package dev.tandem.core.call;

import dev.tandem.core.vocabulary.CallId;
import dev.tandem.core.vocabulary.LoggingKeys;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The ids of a call in the logging context while its work runs: the bridge's call id, and the SIP
 * Call-ID of its SIP leg once core has seen one (an INVITE from SIP, or an event of the leg it
 * placed, whose adapter put the Call-ID in the context). Confined to the signaling loop.
 */
final class CallLogging {
  private final Map<CallId, String> sipCallIds = new HashMap<>();

  /** The SIP Call-ID in the current context, if any, becomes the call's. */
  void learnFromContext(CallId id) {
    String sip = MDC.get(LoggingKeys.SIP_CALL_ID);
    if (sip != null) {
      sipCallIds.put(id, sip);
    }
  }

  void learn(CallId id, String sipCallId) {
    sipCallIds.put(id, sipCallId);
  }

  /** The call's SIP Call-ID, once core has seen one. */
  Optional<String> sipCallId(CallId id) {
    return Optional.ofNullable(sipCallIds.get(id));
  }

  void forget(CallId id) {
    sipCallIds.remove(id);
  }

  void run(CallId id, Runnable work) {
    with(
        id,
        () -> {
          work.run();
          return null;
        });
  }

  <T> T with(CallId id, Supplier<T> work) {
    Map<String, String> before = MDC.getCopyOfContextMap();
    MDC.put(LoggingKeys.CALL_ID, id.value());
    String sip = sipCallIds.get(id);
    if (sip != null) {
      MDC.put(LoggingKeys.SIP_CALL_ID, sip);
    }
    try {
      return work.get();
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }
}

package dev.tandem.core.call;

import dev.tandem.core.vocabulary.CallId;
import java.time.Instant;
import java.util.Optional;

/**
 * A call as it was when asked ({@link Switchboard#callSnapshots}).
 *
 * @param sipCallId the Call-ID of its SIP leg, once there is one
 * @param since when the call was placed
 */
public record CallSnapshot(CallId id, Optional<String> sipCallId, CallFacts facts, Instant since) {}

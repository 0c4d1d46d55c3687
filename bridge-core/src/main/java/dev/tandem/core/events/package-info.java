/**
 * What happened to each call, for those who watch from outside: a {@link
 * dev.tandem.core.events.CallRecord} per call and the {@link dev.tandem.core.events.CallEvent}s of
 * its life (started, ringing, answered, ended), handed to {@link
 * dev.tandem.core.events.CallEventListener}s on the signaling loop. Metrics, the call-record file
 * and webhooks listen here; none of them can slow a call down, because a listener only hands the
 * event to its own thread.
 */
package dev.tandem.core.events;

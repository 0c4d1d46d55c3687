/**
 * What the bridge does with each call's events ({@link dev.tandem.core.events.CallEvent}) besides
 * counting them: the call-record file (JSON lines, {@link dev.tandem.app.events.CallRecordFile}),
 * signed webhooks ({@link dev.tandem.app.events.Webhooks}) and one summary log line per call
 * ({@link dev.tandem.app.events.CallSummaryLog}). Each is a listener on the signaling loop that
 * only queues: files and HTTP are written by threads of their own, from bounded queues, so a slow
 * disk or a receiver that is down never delays a call. docs/events.md describes the formats.
 */
package dev.tandem.app.events;

/**
 * Time as a dependency: every timer in core (ringing timeout, resume grace period) goes through
 * {@link dev.tandem.core.time.Scheduler}, so tests advance a fake clock instead of sleeping.
 */
package dev.tandem.core.time;

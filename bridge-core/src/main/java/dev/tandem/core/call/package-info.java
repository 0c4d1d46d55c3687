/**
 * Calls and the sessions they connect. {@link dev.tandem.core.call.Switchboard} is the entry point:
 * it owns every browser session and every call, and runs all of their events on one {@link
 * dev.tandem.core.call.SignalingLoop}, so no call ever races itself or another.
 */
package dev.tandem.core.call;

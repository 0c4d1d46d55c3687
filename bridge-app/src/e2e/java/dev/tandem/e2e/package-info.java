/**
 * End-to-end tests: the real {@code tandem} process against real peers (SIPp, baresip, rtpengine,
 * browsers), on loopback and free ports. Run by failsafe with {@code -Pe2e} ({@code scripts/test});
 * a missing peer fails the test, it is never skipped. Every fixture stops what it started.
 */
package dev.tandem.e2e;

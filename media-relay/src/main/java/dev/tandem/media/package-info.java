/**
 * Media backends: the embedded relay and the rtpengine client. Each lives in its own package,
 * usable and testable alone.
 */
package dev.tandem.media;

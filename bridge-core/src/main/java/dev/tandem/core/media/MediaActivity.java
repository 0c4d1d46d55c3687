package dev.tandem.core.media;

/**
 * How many media packets the backend has received from each side of a call so far (RTP and RTCP,
 * cumulative). Core compares two of them to tell whether media still flows.
 */
public record MediaActivity(long packetsFromBrowser, long packetsFromSip) {}

/**
 * ICE-lite (RFC 8445 §2.5) toward browsers: {@link dev.tandem.media.ice.IceLiteAgent} answers
 * connectivity checks, decides which address is verified and nominated (media goes nowhere else)
 * and tracks consent freshness (RFC 7675). The embedded relay (issue 6) builds on it.
 */
package dev.tandem.media.ice;

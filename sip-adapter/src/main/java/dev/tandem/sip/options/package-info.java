/**
 * Answers SIP OPTIONS: capability queries and keepalives from proxies and trunks (RFC 3261 §11).
 */
package dev.tandem.sip.options;

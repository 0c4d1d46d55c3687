/**
 * The standalone registrar's location service: which SIP accounts exist (name, extension), where
 * each is registered, and the RFC 3261 §10.3 rules for changing that.
 */
package dev.tandem.core.registrar;

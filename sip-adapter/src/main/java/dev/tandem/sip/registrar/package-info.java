/**
 * The standalone registrar: REGISTER with digest authentication (MD5 and SHA-256, RFC 8760), the
 * same challenge for INVITEs from its accounts, and the per-source limits that keep password
 * guessing and floods away.
 */
package dev.tandem.sip.registrar;

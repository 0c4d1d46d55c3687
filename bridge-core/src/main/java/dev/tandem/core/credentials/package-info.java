/** Credentials the bridge derives for others to check: time-limited, from a shared secret. */
package dev.tandem.core.credentials;

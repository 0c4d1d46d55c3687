/**
 * Liveness and readiness of the bridge: every listener and backend registers a component, and the
 * bridge is ready only when every component is up.
 */
package dev.tandem.core.health;

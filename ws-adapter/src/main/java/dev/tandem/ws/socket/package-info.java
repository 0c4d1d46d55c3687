/**
 * The WebSocket endpoint {@code /ws}: one {@link dev.tandem.ws.socket.BrowserSocket} per
 * connection, checked at the upgrade (origin, subprotocol) and on every frame (size, rate,
 * authentication), and turned into core requests.
 */
package dev.tandem.ws.socket;

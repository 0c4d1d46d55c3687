/**
 * The browser side of the bridge, on Jetty 12: HTTP endpoints and, later, the WebSocket JSON
 * protocol. This package holds the adapter's configuration; nothing of Jetty or Jackson leaves this
 * module.
 */
package dev.tandem.ws;

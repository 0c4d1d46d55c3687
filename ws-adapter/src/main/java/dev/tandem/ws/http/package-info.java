/** The bridge's HTTP server and its operational endpoints ({@code /healthz}, {@code /readyz}). */
package dev.tandem.ws.http;

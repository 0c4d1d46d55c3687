/**
 * The browser protocol {@code tandem.v1} (docs/protocol.md): JSON-RPC 2.0 text frames. Decoding
 * turns a frame into a typed request or a typed error; encoding turns core events and outcomes into
 * frames. The error codes, and which core refusal becomes which code, live in {@link
 * dev.tandem.ws.protocol.ErrorCode} and nowhere else.
 */
package dev.tandem.ws.protocol;

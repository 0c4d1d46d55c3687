/**
 * The browser side as core sees it: what a browser session asks ({@link
 * dev.tandem.core.browser.BrowserRequest}), what core tells it ({@link
 * dev.tandem.core.browser.BrowserEvent}), and the port a connection implements ({@link
 * dev.tandem.core.browser.BrowserConnection}). No JSON here: the WebSocket adapter encodes and
 * decodes.
 */
package dev.tandem.core.browser;

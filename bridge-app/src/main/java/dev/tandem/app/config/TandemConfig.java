package dev.tandem.app.config;

import dev.tandem.sip.SipSettings;
import dev.tandem.ws.HttpSettings;

/**
 * The whole configuration, one record per section; {@code conf/tandem.yaml} documents every key.
 *
 * @param http where browsers reach the bridge (HTTP and WebSocket)
 * @param sip the SIP stack's listeners and limits
 * @param shutdown how the bridge stops
 */
public record TandemConfig(HttpSettings http, SipSettings sip, ShutdownSettings shutdown) {

  /** What {@code tandem run} uses with no file: everything on 127.0.0.1. */
  public static TandemConfig defaults() {
    return new TandemConfig(
        HttpSettings.defaults(), SipSettings.defaults(), ShutdownSettings.defaults());
  }
}

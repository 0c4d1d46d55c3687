package dev.tandem.ws.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.ws.ice.IceServer;
import dev.tandem.ws.ice.IceServers;

/**
 * Writes ICE servers the way a browser's {@code RTCConfiguration.iceServers} takes them, for the
 * WebSocket results and {@code GET /api/ice-servers} alike.
 */
public final class IceServersJson {
  private IceServersJson() {}

  /** Adds {@code iceServers} and {@code iceServersExpireAt} (epoch seconds) to {@code target}. */
  public static void put(ObjectNode target, IceServers servers) {
    ArrayNode list = target.putArray("iceServers");
    for (IceServer server : servers.servers()) {
      ObjectNode s = list.addObject();
      ArrayNode urls = s.putArray("urls");
      server.urls().forEach(urls::add);
      server.username().ifPresent(u -> s.put("username", u));
      server.credential().ifPresent(c -> s.put("credential", c));
    }
    target.put("iceServersExpireAt", servers.expiresAt().getEpochSecond());
  }
}

package dev.tandem.ws.ice;

import java.time.Instant;
import java.util.List;

/** The servers for one user, and when their generated credentials stop working. */
public record IceServers(List<IceServer> servers, Instant expiresAt) {
  public IceServers {
    servers = List.copyOf(servers);
  }
}

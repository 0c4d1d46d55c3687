package dev.tandem.ws.ice;

import dev.tandem.core.credentials.EphemeralCredentials;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds each user's ICE servers, with fresh TURN credentials, from the configuration: for a server
 * with a shared secret, coturn's {@code use-auth-secret} credentials ({@link EphemeralCredentials},
 * HMAC-SHA1).
 */
public final class IceServerProvider {
  private final IceSettings settings;
  private final Clock clock;

  public IceServerProvider(IceSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public IceServers forUser(String user) {
    Instant expiry = clock.instant().plus(settings.credentialTtl());
    List<IceServer> servers = new ArrayList<>();
    for (IceServerSettings server : settings.servers()) {
      if (!server.sharedSecret().isEmpty()) {
        EphemeralCredentials.Pair credentials =
            EphemeralCredentials.of(
                EphemeralCredentials.Algorithm.SHA1, server.sharedSecret(), user, expiry);
        servers.add(
            new IceServer(
                server.urls(),
                Optional.of(credentials.username()),
                Optional.of(credentials.password())));
      } else if (!server.username().isEmpty()) {
        servers.add(
            new IceServer(
                server.urls(), Optional.of(server.username()), Optional.of(server.credential())));
      } else {
        servers.add(new IceServer(server.urls(), Optional.empty(), Optional.empty()));
      }
    }
    return new IceServers(servers, expiry);
  }
}

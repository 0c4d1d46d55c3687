package dev.tandem.ws.ice;

import java.util.List;
import java.util.Optional;

/** One server as a browser's {@code RTCIceServer} takes it. */
public record IceServer(List<String> urls, Optional<String> username, Optional<String> credential) {
  public IceServer {
    urls = List.copyOf(urls);
  }
}

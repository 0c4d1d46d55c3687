package dev.tandem.ws.socket;

import java.util.List;
import java.util.Locale;

/**
 * Decides which web pages may open the WebSocket, against cross-site WebSocket hijacking: a page
 * served by the bridge itself (the {@code Origin} matches the {@code Host}), a configured origin,
 * or anything when {@code *} is configured. Clients that send no {@code Origin} are not browsers
 * and are let through (they authenticate like everyone else).
 */
public final class OriginPolicy {
  private final List<String> allowed;

  public OriginPolicy(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    if (allowed.contains("*") || allowed.contains(o)) {
      return true;
    }
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return o.equals("http://" + h) || o.equals("https://" + h);
  }
}

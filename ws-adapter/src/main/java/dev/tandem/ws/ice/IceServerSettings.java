package dev.tandem.ws.ice;

import dev.tandem.core.config.SelfChecking;
import java.util.List;

/**
 * One entry of {@code ice.servers}.
 *
 * @param urls {@code stun:}, {@code turn:} or {@code turns:} URIs (RFC 7064, RFC 7065)
 * @param username a static TURN username; empty when none
 * @param credential a static TURN password; empty when none
 * @param sharedSecret coturn's {@code static-auth-secret}: each user gets credentials derived from
 *     it; empty when none
 */
public record IceServerSettings(
    List<String> urls, String username, String credential, String sharedSecret)
    implements SelfChecking {

  public IceServerSettings {
    urls = List.copyOf(urls);
  }

  /** The values of keys an entry leaves out. */
  public static IceServerSettings defaults() {
    return new IceServerSettings(List.of(), "", "", "");
  }

  boolean hasTurn() {
    return urls.stream().anyMatch(u -> u.startsWith("turn:") || u.startsWith("turns:"));
  }

  @Override
  public void check(Problems problems) {
    if (urls.isEmpty()) {
      problems.add("urls", "needs at least one stun:, turn: or turns: URI");
    }
    for (int i = 0; i < urls.size(); i++) {
      String url = urls.get(i);
      if (!url.matches("(stun|stuns|turn|turns):[^\\s]+")) {
        problems.add("urls[" + i + "]", "must be a stun:, turn: or turns: URI, not '" + url + "'");
      }
    }
    if (!sharedSecret.isEmpty() && (!username.isEmpty() || !credential.isEmpty())) {
      problems.add(
          "shared-secret", "use either shared-secret or username and credential, not both");
    }
    if (username.isEmpty() != credential.isEmpty()) {
      problems.add(
          username.isEmpty() ? "username" : "credential", "username and credential go together");
    }
    if (hasTurn() && sharedSecret.isEmpty() && username.isEmpty()) {
      problems.add("", "a TURN server needs shared-secret or username and credential");
    }
  }
}

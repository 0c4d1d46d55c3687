package dev.tandem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The admin API (docs/admin.md) as an operator's curl reaches it: from inside the bridge's network
 * namespace, with the bearer token.
 */
final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: its status and JSON body. */
  record Reply(int status, JsonNode body) {}

  private final NetworkNamespace ns;
  private final int port;
  private final String token;

  AdminClient(NetworkNamespace ns, int port, String token) {
    this.ns = ns;
    this.port = port;
    this.token = token;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  Reply send(String method, String path, String body) throws IOException, InterruptedException {
    String text = curl("http://127.0.0.1:" + port + path, method, body, true);
    int newline = text.lastIndexOf('\n');
    String json = text.substring(0, newline).strip();
    return new Reply(
        Integer.parseInt(text.substring(newline + 1).strip()),
        json.isEmpty() ? null : JSON.readTree(json));
  }

  /** The status of {@code url} (e.g. the bridge's /readyz), from inside the namespace. */
  static int status(NetworkNamespace ns, String url) throws IOException, InterruptedException {
    String text = curlIn(ns, url, "GET", null, null);
    return Integer.parseInt(text.substring(text.lastIndexOf('\n') + 1).strip());
  }

  private String curl(String url, String method, String body, boolean authorized)
      throws IOException, InterruptedException {
    return curlIn(ns, url, method, body, authorized ? token : null);
  }

  private static String curlIn(
      NetworkNamespace ns, String url, String method, String body, String token)
      throws IOException, InterruptedException {
    Peers.require("curl", "curl");
    List<String> command =
        new ArrayList<>(List.of("curl", "-s", "-m", "10", "-X", method, "-w", "\n%{http_code}"));
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    if (body != null) {
      command.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
    }
    command.add(url);
    Process curl = new ProcessBuilder(ns.wrap(command)).redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes());
    if (!curl.waitFor(15, TimeUnit.SECONDS)) {
      curl.destroyForcibly();
      throw new AssertionError("curl " + url + " did not finish");
    }
    return out;
  }
}

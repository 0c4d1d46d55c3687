package dev.tandem.app.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The admin API's JSON bodies, one record each, as docs/admin-openapi.yaml describes them. Times
 * are ISO-8601 instants; a field that does not apply is left out.
 */
public final class AdminViews {
  private AdminViews() {}

  /**
   * @param state {@code running} or {@code draining}
   * @param drain the drain under way, when draining
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      String version, String state, String startedAt, int sessions, int calls, DrainView drain) {}

  /**
   * @param deadline when calls still in progress end with {@code server-shutdown} and the process
   *     exits
   */
  public record DrainView(String startedAt, String deadline, int callsLeft) {}

  public record SessionView(
      String id, String user, boolean connected, String since, List<String> calls) {}

  /**
   * @param media packets the media backend received from each side; left out for calls whose media
   *     does not pass the bridge (browser to browser, phone to phone)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CallView(
      String id,
      String sipCallId,
      String state,
      String direction,
      String from,
      String to,
      String destination,
      String since,
      MediaView media) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MediaView(long packetsFromBrowser, long packetsFromSip, String failure) {}

  public record Registrations(List<BindingView> registrar, List<UpstreamView> upstream) {}

  /** A phone's binding at the bridge's registrar (standalone mode). */
  public record BindingView(
      String account, String contact, String transport, String source, String expires) {}

  /**
   * A browser user's registration at its PBX (upstream mode).
   *
   * @param state {@code registered}, {@code registering}, {@code unregistered} (the user is
   *     offline) or {@code failed} (retried while the user is online)
   */
  public record UpstreamView(String user, String destination, String aor, String state) {}

  public record Ended(String callId, String reason) {}

  public record Disconnected(String user, int sessions, int closeCode) {}

  /**
   * @param outcome {@code applied} (new rules in force), {@code unchanged} (the file says what is
   *     running) or {@code refused} (invalid: nothing changed; {@code errors} says why)
   * @param changed the keys whose new values are in force
   * @param needsRestart changed keys that cannot change while running: their old values stay
   */
  public record ReloadView(
      String outcome, List<String> changed, List<String> needsRestart, List<Problem> errors) {}

  public record Problem(String path, String message) {}

  /** Every error: a short code and a sentence. */
  public record Error(String error, String message) {}
}

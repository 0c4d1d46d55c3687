package dev.tandem.app.config;

import dev.tandem.app.admin.AdminSettings;
import dev.tandem.app.config.RoutingSettings.DialRuleSettings;
import dev.tandem.sip.ListenPoint;
import dev.tandem.ws.auth.StaticUser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules for valid but weak settings, with their texts, in one place: {@code tandem config
 * check} prints each as {@code warning: <path>: <why>}, {@code tandem run} logs them at start and
 * refuses the ones marked {@link ConfigWarning#refused()} (development users reachable from the
 * network).
 */
public final class ConfigWarnings {
  /** Passwords shorter than this are warned about (auth users, registrar accounts). */
  public static final int MIN_PASSWORD_LENGTH = 8;

  /** An HS256 secret with fewer distinct bytes than this is not random. */
  public static final int MIN_SECRET_DISTINCT_BYTES = 16;

  /**
   * Dialled strings of every shape a user may send (numbers, names, service codes); a rule that
   * matches them all is a catch-all.
   */
  private static final List<String> PROBES =
      List.of("x", "0", "911", "+15551234567", "00441234567890", "alice", "*67#", "a.b_c-d");

  private ConfigWarnings() {}

  /** Every warning for the configuration, in the order of its sections. */
  public static List<ConfigWarning> of(TandemConfig config) {
    List<ConfigWarning> warnings = new ArrayList<>();
    developmentUsers(config, warnings);
    passwords(config, warnings);
    secret(config, warnings);
    origins(config, warnings);
    dialPlan(config, warnings);
    admin(config, warnings);
    return warnings;
  }

  private static void admin(TandemConfig config, List<ConfigWarning> warnings) {
    AdminSettings admin = config.admin();
    if (!admin.enabled()) {
      return;
    }
    if (admin.token().length() < AdminSettings.MIN_TOKEN_LENGTH) {
      warnings.add(
          new ConfigWarning(
              "admin.token",
              admin.token().length()
                  + " characters: whoever guesses it can end calls and drain the bridge; use "
                  + AdminSettings.MIN_TOKEN_LENGTH
                  + "+ random characters (openssl rand -hex 32)",
              false));
    }
    if (!isLoopback(admin.host())) {
      warnings.add(
          new ConfigWarning(
              "admin.host",
              admin.host()
                  + " is not a loopback address: the admin API is reachable from other hosts;"
                  + " keep it on 127.0.0.1 or a management network behind a firewall",
              false));
    }
  }

  private static void developmentUsers(TandemConfig config, List<ConfigWarning> warnings) {
    Map<String, StaticUser> users = config.auth().users();
    if (users.isEmpty()) {
      return;
    }
    String names = String.join(", ", new TreeMap<>(users).keySet());
    String host = config.http().host();
    if (!isLoopback(host)) {
      warnings.add(
          new ConfigWarning(
              "auth.users",
              "development users ("
                  + names
                  + ") with HTTP on "
                  + host
                  + ", not a loopback address: anyone who reaches the port can sign in with"
                  + " their passwords; use auth.jwt, or http.host: 127.0.0.1",
              true));
    } else {
      warnings.add(
          new ConfigWarning(
              "auth.users",
              "development users (" + names + "): for development only; use auth.jwt in production",
              false));
    }
    List<ListenPoint> listen = config.sip().listen();
    for (int i = 0; i < listen.size(); i++) {
      if (!isLoopback(listen.get(i).host())) {
        warnings.add(
            new ConfigWarning(
                "sip.listen[" + i + "].host",
                "SIP on "
                    + listen.get(i).host()
                    + " while development users are configured: the bridge is reachable from"
                    + " the network and its users have well-known passwords",
                false));
      }
    }
  }

  private static void passwords(TandemConfig config, List<ConfigWarning> warnings) {
    new TreeMap<>(config.auth().users())
        .forEach(
            (name, user) ->
                weakPassword(name, user.password())
                    .ifPresent(
                        why ->
                            warnings.add(
                                new ConfigWarning(
                                    "auth.users." + name + ".password", why, false))));
    new TreeMap<>(config.registrar().accounts())
        .forEach(
            (name, account) ->
                account
                    .password()
                    .flatMap(password -> weakPassword(name, password))
                    .ifPresent(
                        why ->
                            warnings.add(
                                new ConfigWarning(
                                    "registrar.accounts." + name + ".password", why, false))));
  }

  /** Why a password is weak, or empty. */
  static Optional<String> weakPassword(String user, String password) {
    if (password.equalsIgnoreCase(user)) {
      return Optional.of("the password is the user name");
    }
    if (password.length() < MIN_PASSWORD_LENGTH) {
      return Optional.of(
          "a password of "
              + password.length()
              + " characters is guessable; use at least "
              + MIN_PASSWORD_LENGTH);
    }
    return Optional.empty();
  }

  private static void secret(TandemConfig config, List<ConfigWarning> warnings) {
    String secret = config.auth().jwt().hs256Secret();
    if (secret.isEmpty()) {
      return;
    }
    long distinct = distinctBytes(secret.getBytes(StandardCharsets.UTF_8));
    if (distinct < MIN_SECRET_DISTINCT_BYTES) {
      warnings.add(
          new ConfigWarning(
              "auth.jwt.hs256-secret",
              "only "
                  + distinct
                  + " distinct bytes: not a random secret, tokens can be forged; use 32 random"
                  + " bytes, e.g. openssl rand -base64 32",
              false));
    }
  }

  static long distinctBytes(byte[] bytes) {
    boolean[] seen = new boolean[256];
    long distinct = 0;
    for (byte b : bytes) {
      if (!seen[b & 0xff]) {
        seen[b & 0xff] = true;
        distinct++;
      }
    }
    return distinct;
  }

  private static void origins(TandemConfig config, List<ConfigWarning> warnings) {
    List<String> origins = config.ws().allowedOrigins();
    for (int i = 0; i < origins.size(); i++) {
      if (origins.get(i).trim().equals("*")) {
        warnings.add(
            new ConfigWarning(
                "ws.allowed-origins[" + i + "]",
                "* lets any web page open the WebSocket from its visitors' browsers; list your"
                    + " app's origins (https://app.example.com)",
                false));
      }
    }
  }

  private static void dialPlan(TandemConfig config, List<ConfigWarning> warnings) {
    RoutingSettings routing = config.routing();
    List<String> everyone = routing.permissions().everyone();
    List<DialRuleSettings> rules = routing.dialPlan();
    for (int i = 0; i < rules.size(); i++) {
      DialRuleSettings rule = rules.get(i);
      if (everyone.contains(rule.name()) && isCatchAll(rule.pattern())) {
        warnings.add(
            new ConfigWarning(
                "routing.dial-plan[" + i + "].pattern",
                "'"
                    + rule.pattern()
                    + "' matches anything dialled and everyone may use rule "
                    + rule.name()
                    + ": every user can call any number through "
                    + rule.destination()
                    + " (toll fraud); match the numbers you mean, e.g. '\\+?1[0-9]{10}'",
                false));
      }
    }
  }

  /** Whether a dial-plan pattern matches every probe (the checks ran before: it compiles). */
  static boolean isCatchAll(String pattern) {
    Pattern compiled = Pattern.compile(pattern);
    return PROBES.stream().allMatch(probe -> compiled.matcher(probe).matches());
  }

  /** Whether a listening host is a loopback address (literals and localhost; names are not). */
  static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) {
      return true;
    }
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (!h.contains(":") && !h.matches("[0-9.]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

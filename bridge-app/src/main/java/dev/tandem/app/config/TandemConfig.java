package dev.tandem.app.config;

import dev.tandem.app.admin.AdminSettings;
import dev.tandem.core.call.CallSettings;
import dev.tandem.core.call.SessionSettings;
import dev.tandem.core.config.SelfChecking;
import dev.tandem.sip.SipSettings;
import dev.tandem.sip.registrar.RegistrarSettings;
import dev.tandem.sip.upstream.UpstreamSettings;
import dev.tandem.ws.HttpSettings;
import dev.tandem.ws.auth.AuthSettings;
import dev.tandem.ws.ice.IceSettings;
import dev.tandem.ws.socket.WsSettings;
import java.util.Set;

/**
 * The whole configuration, one record per section; {@code conf/tandem.yaml} documents every key.
 *
 * @param http where browsers reach the bridge (HTTP and WebSocket)
 * @param ws the browser WebSocket's limits
 * @param auth how browsers authenticate (JWT, development users)
 * @param ice the STUN/TURN servers handed to browsers
 * @param sessions browser sessions: resume grace period, sessions per user
 * @param calls ringing timeout, calls per user
 * @param sip the SIP stack's listeners and limits
 * @param routing SIP destinations, the dial plan and per-user permissions
 * @param registrar the bridge as registrar of SIP phones (standalone mode)
 * @param upstream browser users registered to their PBX while online (upstream mode)
 * @param media the media backend of browser ⇄ SIP calls
 * @param shutdown how the bridge stops
 * @param node this bridge's name among several
 * @param admin the operator's HTTP API (docs/admin.md)
 * @param metrics the Prometheus endpoint (its own listener, off by default)
 * @param events where call records and events go (file, webhooks)
 */
public record TandemConfig(
    HttpSettings http,
    WsSettings ws,
    AuthSettings auth,
    IceSettings ice,
    SessionSettings sessions,
    CallSettings calls,
    SipSettings sip,
    RoutingSettings routing,
    RegistrarSettings registrar,
    UpstreamSettings upstream,
    MediaSettings media,
    ShutdownSettings shutdown,
    NodeSettings node,
    AdminSettings admin,
    MetricsSettings metrics,
    EventsSettings events)
    implements SelfChecking {

  /**
   * Rules across sections: an upstream account's destination is a routing destination; with no JWT
   * (users are enumerable: {@code auth.users}), the inbound table names only users that exist.
   */
  @Override
  public void check(Problems problems) {
    if (!auth.jwt().enabled()) {
      Set<String> users = knownUsers();
      InboundSettings inbound = routing.inbound();
      inbound
          .ringGroups()
          .forEach(
              (group, members) ->
                  members.stream()
                      .filter(m -> !users.contains(m))
                      .forEach(
                          m ->
                              problems.add(
                                  "routing.inbound.ring-groups." + group,
                                  "no user "
                                      + m
                                      + " (auth.users, upstream.accounts: "
                                      + users
                                      + ")")));
      inbound
          .numbers()
          .forEach(
              (number, target) -> {
                if (!inbound.ringGroups().containsKey(target) && !users.contains(target)) {
                  problems.add(
                      "routing.inbound.numbers." + number,
                      "no user or ring group " + target + " (users: " + users + ")");
                }
              });
      inbound
          .fallback()
          .filter(f -> !inbound.ringGroups().containsKey(f) && !users.contains(f))
          .ifPresent(
              f ->
                  problems.add(
                      "routing.inbound.fallback",
                      "no user or ring group " + f + " (users: " + users + ")"));
    }
    if (metrics.enabled()
        && metrics.port() == http.port()
        && (metrics.host().equals(http.host())
            || isWildcard(metrics.host())
            || isWildcard(http.host()))) {
      problems.add(
          "metrics.port", "is http.port too: the metrics listener needs a port of its own");
    }
    upstream
        .accounts()
        .forEach(
            (user, account) ->
                destinationExists(
                    problems, "upstream.accounts." + user + ".destination", account.destination()));
    upstream
        .template()
        .ifPresent(
            t -> destinationExists(problems, "upstream.template.destination", t.destination()));
  }

  private void destinationExists(Problems problems, String path, String name) {
    if (!routing.destinations().containsKey(name)) {
      problems.add(
          path,
          "no routing destination named "
              + name
              + " (have: "
              + routing.destinations().keySet()
              + ")");
    }
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /** Users the configuration names besides the inbound table: static users, upstream accounts. */
  public Set<String> knownUsers() {
    Set<String> users = new java.util.TreeSet<>(auth.users().keySet());
    users.addAll(upstream.accounts().keySet());
    return users;
  }

  /** What {@code tandem run} uses with no file: everything on 127.0.0.1. */
  public static TandemConfig defaults() {
    return new TandemConfig(
        HttpSettings.defaults(),
        WsSettings.defaults(),
        AuthSettings.defaults(),
        IceSettings.defaults(),
        SessionSettings.defaults(),
        CallSettings.defaults(),
        SipSettings.defaults(),
        RoutingSettings.defaults(),
        RegistrarSettings.defaults(),
        UpstreamSettings.defaults(),
        MediaSettings.defaults(),
        ShutdownSettings.defaults(),
        NodeSettings.defaults(),
        AdminSettings.defaults(),
        MetricsSettings.defaults(),
        EventsSettings.defaults());
  }
}

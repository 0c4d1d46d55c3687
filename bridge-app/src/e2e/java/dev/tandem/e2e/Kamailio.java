package dev.tandem.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Kamailio (Debian package {@code kamailio}, shared/PEERS.md) as a SIP registrar and proxy serving
 * one domain: its configuration is written to a directory of the test, it runs in the foreground
 * inside the test's namespace on a free UDP port, and it is stopped by its PID. Phones REGISTER
 * {@code sip:<user>@<domain>} (usrloc with {@code use_domain}, the domain an {@code alias}); an
 * INVITE is looked up by its Request-URI's user and domain, so one for {@code <user>@<host:port>}
 * is not found (404).
 */
final class Kamailio implements AutoCloseable {
  private static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");

  final int port;
  final String domain;
  private final Process process;
  private final Path rundir;
  private final Path log;

  private Kamailio(int port, String domain, Process process, Path rundir, Path log) {
    this.port = port;
    this.domain = domain;
    this.process = process;
    this.rundir = rundir;
    this.log = log;
  }

  /** Starts Kamailio serving {@code domain} on 127.0.0.1 in {@code ns}, once its port listens. */
  static Kamailio start(Path dir, NetworkNamespace ns, String domain) throws IOException, InterruptedException {
    return start(dir, ns, domain, Optional.empty());
  }

  /**
   * As {@link #start(Path, NetworkNamespace, String)}; with {@code ephemeralSecret}, REGISTERs must
   * carry auth_ephemeral credentials made with it whose user is the From user (else 401 / 403).
   */
  static Kamailio start(Path dir, NetworkNamespace ns, String domain, Optional<String> ephemeralSecret)
      throws IOException, InterruptedException {
    int port = FreePorts.next();
    Path rundir = Files.createDirectories(dir.resolve("kamailio"));
    Path cfg = rundir.resolve("kamailio.cfg");
    Files.writeString(cfg, config(port, domain, ephemeralSecret));
    return run(dir, ns, cfg, port, domain, List.of());
  }

  /**
   * Runs the configuration {@code cfg} (copied into the test's directory with the files next to
   * it, e.g. deploy/kamailio/) with {@code defines} ({@code -A NAME=value}); it must listen on
   * {@code port}.
   */
  static Kamailio run(Path dir, NetworkNamespace ns, Path cfg, int port, String domain, List<String> defines)
      throws IOException, InterruptedException {
    Path kamailio = Peers.require("kamailio", "kamailio");
    Path rundir = Files.createDirectories(dir.resolve("kamailio"));
    Path log = dir.resolve("kamailio.log");
    List<String> args = new java.util.ArrayList<>(List.of(kamailio.toString()));
    for (String define : defines) {
      args.addAll(List.of("-A", define));
    }
    args.addAll(List.of("-f", cfg.toString()));
    check(args, log);
    args.addAll(
        1,
        List.of("-DD", "-E", "-m", "32", "-M", "4", "-Y", rundir.toString(), "-P", rundir.resolve("kamailio.pid").toString()));
    Process process =
        new ProcessBuilder(ns.wrap(args)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Kamailio started = new Kamailio(port, domain, process, rundir, log);
    try {
      await("kamailio listening on " + port)
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError("kamailio exited with " + process.exitValue() + ":\n" + started.log());
                }
                return started.log().contains("SO_RCVBUF is finally") && Files.exists(rundir.resolve("kamailio.pid"));
              });
    } catch (RuntimeException | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  /** {@code kamailio -c}: a configuration it does not accept fails here, with its words. */
  private static void check(List<String> args, Path log) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(args);
    command.add(1, "-c");
    Process check =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!check.waitFor(15, TimeUnit.SECONDS) || check.exitValue() != 0) {
      check.destroyForcibly();
      throw new AssertionError("kamailio -c refused its configuration:\n" + Peers.readLog(log));
    }
  }

  /**
   * A registrar and stateful proxy: REGISTER saves the binding; an initial request for the served
   * domain is record-routed and relayed to the contacts its lookup finds, else answered 404; requests
   * within a dialog follow their Route. Registrations keep an RFC 5626 reg-id without outbound
   * ({@code regid_mode} 1), so that a UA instance's new REGISTER replaces its binding.
   */
  static String config(int port, String domain, Optional<String> ephemeralSecret) {
    String authModules =
        ephemeralSecret
            .map(
                secret ->
                    """
                    loadmodule "auth.so"
                    loadmodule "auth_ephemeral.so"
                    modparam("auth_ephemeral", "secret", "%s")
                    """
                        .formatted(secret))
            .orElse("");
    String registerAuth =
        ephemeralSecret.isEmpty()
            ? ""
            : """
              if (!autheph_check("$fd")) { auth_challenge("$fd", "1"); exit; }
                if (!autheph_check_from()) { sl_send_reply("403", "Not your address"); exit; }
            """;
    return """
        #!KAMAILIO
        debug=2
        log_stderror=yes
        children=2
        listen=udp:127.0.0.1:%d
        alias="%s"
        auto_aliases=no
        mpath="%s/"
        loadmodule "kex.so"
        loadmodule "corex.so"
        loadmodule "tm.so"
        loadmodule "tmx.so"
        loadmodule "sl.so"
        loadmodule "rr.so"
        loadmodule "pv.so"
        loadmodule "maxfwd.so"
        loadmodule "usrloc.so"
        loadmodule "registrar.so"
        loadmodule "textops.so"
        loadmodule "siputils.so"
        loadmodule "xlog.so"
        modparam("usrloc", "db_mode", 0)
        %s
        modparam("usrloc", "use_domain", 1)
        modparam("registrar", "regid_mode", 1)

        request_route {
          if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
          if (has_totag()) {
            if (loose_route()) { t_relay(); exit; }
            if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
            sl_send_reply("404", "Not here");
            exit;
          }
          if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
          t_check_trans();
          remove_hf("Route");
          if (is_method("REGISTER")) {
            %s
            if (!save("location")) { sl_reply_error(); }
            xlog("L_NOTICE", "registered $tu contact $ct\\n");
            exit;
          }
          if (!uri == myself) { sl_send_reply("403", "Not relaying"); exit; }
          record_route();
          if (!lookup("location")) {
            xlog("L_NOTICE", "lookup $rm $ru: not found\\n");
            sl_send_reply("404", "Not Found");
            exit;
          }
          xlog("L_NOTICE", "lookup $rm for $tu: found $ru\\n");
          t_relay();
        }
        """
        .formatted(port, domain, MODULES, authModules, registerAuth);
  }

  String log() {
    return Peers.readLog(log);
  }

  /** Stops Kamailio by the PID it wrote (SIGTERM; its children go with it), then the process. */
  @Override
  public void close() throws InterruptedException {
    try {
      Path pidFile = rundir.resolve("kamailio.pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
    } catch (IOException | NumberFormatException e) {
      // the process itself is stopped below
    }
    Peers.stop(process, 1, Duration.ofSeconds(5));
  }
}

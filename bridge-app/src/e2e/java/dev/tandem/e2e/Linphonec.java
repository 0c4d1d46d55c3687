package dev.tandem.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real linphonec 5.1 (shared/PEERS.md) registered to the bridge's registrar, on loopback in the
 * test's network namespace, with files instead of a sound card. Commands go to its console on
 * stdin; what it prints (registration, incoming calls, call states) is its log. Stopped by {@link
 * #close}.
 */
final class Linphonec implements AutoCloseable {
  private static final String G711_ONLY =
      String.join(
          "\n",
          "[audio_codec_0]",
          "mime=PCMU",
          "rate=8000",
          "channels=1",
          "enabled=1",
          "[audio_codec_1]",
          "mime=PCMA",
          "rate=8000",
          "channels=1",
          "enabled=1",
          "[audio_codec_2]",
          "mime=opus",
          "rate=48000",
          "channels=2",
          "enabled=0",
          "[audio_codec_3]",
          "mime=G722",
          "rate=8000",
          "channels=1",
          "enabled=0",
          "[audio_codec_4]",
          "mime=speex",
          "rate=8000",
          "channels=1",
          "enabled=0");

  final int sipPort;
  private final Process process;
  private final Path log;

  private Linphonec(int sipPort, Process process, Path log) {
    this.sipPort = sipPort;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts linphonec as {@code user} with {@code password}, registering to 127.0.0.1:{@code
   * registrarPort}; with {@code autoAnswer} it answers every call.
   */
  static Linphonec registered(
      Path workDir,
      NetworkNamespace ns,
      String user,
      String password,
      int registrarPort,
      boolean autoAnswer)
      throws IOException {
    return registered(workDir, ns, user, password, registrarPort, autoAnswer, null);
  }

  /**
   * As {@link #registered(Path, NetworkNamespace, String, String, int, boolean)}, with {@code
   * media_encryption} set to {@code mediaEncryption} (e.g. {@code srtp}: SDES-SRTP) and mandatory,
   * and G.711 as its only codecs, when it is not null.
   */
  static Linphonec registered(
      Path workDir,
      NetworkNamespace ns,
      String user,
      String password,
      int registrarPort,
      boolean autoAnswer,
      String mediaEncryption)
      throws IOException {
    Path binary = Peers.require("linphonec", "linphone-cli");
    Path home =
        Files.createDirectories(
            workDir.resolve("linphonec-" + user + "-" + ThreadLocalRandom.current().nextInt(1000)));
    Files.createDirectories(home.resolve(".local/share/linphone"));
    int rtp = 43_000 + ThreadLocalRandom.current().nextInt(0, 100) * 10;
    int sipPort = FreePorts.next();
    Path rc = home.resolve("linphonerc");
    Files.writeString(
        rc,
        String.join(
            "\n",
            "[sip]",
            "bind_address=127.0.0.1",
            "sip_port=" + sipPort,
            "use_ipv6=0",
            "ipv6_migration_done=1",
            "guess_hostname=0",
            mediaEncryption == null ? "" : "media_encryption=" + mediaEncryption,
            mediaEncryption == null ? "" : "media_encryption_mandatory=1",
            // G.711 only, so that a capture can tell its RTP from SRTP without a key
            mediaEncryption == null ? "" : G711_ONLY,
            "[rtp]",
            "bind_address=127.0.0.1",
            "audio_rtp_port=" + rtp,
            "[proxy_0]",
            "reg_proxy=<sip:127.0.0.1:" + registrarPort + ">",
            "reg_identity=sip:" + user + "@127.0.0.1",
            "reg_expires=600",
            "reg_sendregister=1",
            "[auth_info_0]",
            "username=" + user,
            "passwd=" + password,
            "realm=tandem",
            ""));
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-c", rc.toString()));
    if (autoAnswer) {
      command.add("-a");
    }
    Path log = home.resolve("linphonec.log");
    ProcessBuilder builder =
        new ProcessBuilder(ns.wrap(command)).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("HOME", home.toString());
    Linphonec linphonec = new Linphonec(sipPort, builder.start(), log);
    linphonec.command("soundcard use files");
    return linphonec;
  }

  /** Types a console command, e.g. {@code call sip:...} or {@code terminate}. */
  void command(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  String log() {
    return Peers.readLog(log);
  }

  @Override
  public void close() throws InterruptedException {
    try {
      command("quit");
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
      Peers.stop(process, 2, Duration.ofSeconds(3));
    }
  }
}

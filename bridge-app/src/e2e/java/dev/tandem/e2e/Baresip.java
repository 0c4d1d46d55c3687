package dev.tandem.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real baresip (shared/PEERS.md) on loopback in the test's network namespace: it auto-answers,
 * sends a 440 Hz tone from a WAV file, and records what it hears with the sndfile module, so a test
 * can tell that audio really arrived; as a {@link #videoPhone} it also sends and decodes VP8 video.
 * Stopped by {@link #close}.
 */
final class Baresip implements AutoCloseable {
  final int sipPort;
  final String user;
  private final Path recordings;
  private final Process process;
  private final Path log;

  private Baresip(int sipPort, String user, Path recordings, Process process, Path log) {
    this.sipPort = sipPort;
    this.user = user;
    this.recordings = recordings;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts baresip as {@code user}, auto-answering; with {@code dial} not null it also calls that
   * SIP URI at once.
   */
  static Baresip start(Path workDir, NetworkNamespace ns, String user, String dial) throws IOException {
    return launch(workDir, ns, user, "<sip:" + user + "@127.0.0.1>;regint=0;answermode=auto", dial);
  }

  /**
   * As {@link #start}, a SIP video phone on the default port (see {@link #videoPhone(Path,
   * NetworkNamespace, String, int, String)}).
   */
  static Baresip videoPhone(Path workDir, NetworkNamespace ns, String user, String dial)
      throws IOException {
    return launch(
        workDir, ns, user, "<sip:" + user + "@127.0.0.1>;regint=0;answermode=auto", dial, VIDEO);
  }

  /**
   * Starts baresip as the account {@code user} of the bridge's registrar at 127.0.0.1:{@code
   * registrarPort}: it REGISTERs with {@code password} (MD5 digest, all baresip 1.0 knows) and
   * auto-answers; {@link #command} dials.
   */
  static Baresip registered(
      Path workDir, NetworkNamespace ns, String user, String password, int registrarPort)
      throws IOException {
    return launch(
        workDir,
        ns,
        user,
        "<sip:"
            + user
            + "@127.0.0.1:"
            + registrarPort
            + ">;auth_pass="
            + password
            + ";regint=600;answermode=auto",
        null);
  }

  /**
   * As {@link #registered(Path, NetworkNamespace, String, String, int)}, with the srtp module and
   * the account's media encryption {@code mediaenc} (shared/PEERS.md): {@code srtp} offers SDES-SRTP
   * and accepts plain RTP, {@code srtp-mand} takes RTP/SAVP only.
   */
  static Baresip registered(
      Path workDir,
      NetworkNamespace ns,
      String user,
      String password,
      int registrarPort,
      String mediaenc)
      throws IOException {
    return launch(
        workDir,
        ns,
        user,
        "<sip:"
            + user
            + "@127.0.0.1:"
            + registrarPort
            + ">;auth_pass="
            + password
            + ";regint=600;answermode=auto;mediaenc="
            + mediaenc,
        null,
        List.of("module srtp.so"));
  }

  /**
   * Starts baresip on {@code localAddress} (an interface of {@code ns}, e.g. behind a NAT) as the
   * account {@code user} of the registrar at {@code registrarHost}:{@code registrarPort} over
   * {@code transport} (udp or tcp).
   */
  static Baresip registeredFrom(
      Path workDir,
      NetworkNamespace ns,
      String localAddress,
      String user,
      String password,
      String registrarHost,
      int registrarPort,
      String transport)
      throws IOException {
    return launch(
        workDir,
        ns,
        localAddress,
        user,
        "<sip:"
            + user
            + "@"
            + registrarHost
            + ":"
            + registrarPort
            + ";transport="
            + transport
            + ">;auth_pass="
            + password
            + ";regint=600;answermode=auto",
        null,
        List.of());
  }

  /**
   * Starts baresip as the account {@code user} registering over TLS to 127.0.0.1:{@code tlsPort},
   * trusting the CAs in {@code caFile} (the bridge's certificate must chain to one of them).
   */
  static Baresip registeredOverTls(
      Path workDir, NetworkNamespace ns, String user, String password, int tlsPort, Path caFile)
      throws IOException {
    return launch(
        workDir,
        ns,
        user,
        "<sip:"
            + user
            + "@127.0.0.1:"
            + tlsPort
            + ";transport=tls>;auth_pass="
            + password
            + ";regint=600;answermode=auto",
        null,
        List.of("sip_cafile " + caFile));
  }

  /**
   * Starts baresip as {@code user} (auto-answering, not registering) that also listens on TLS, at
   * {@link #sipPort} + 1, presenting {@code certificate} (PEM: certificate, then key).
   */
  static Baresip tlsServer(Path workDir, NetworkNamespace ns, String user, Path certificate)
      throws IOException {
    return launch(
        workDir,
        ns,
        user,
        "<sip:" + user + "@127.0.0.1>;regint=0;answermode=auto",
        null,
        List.of("sip_certificate " + certificate));
  }

  /**
   * As {@link #tlsServer(Path, NetworkNamespace, String, Path)}, with the srtp module and the
   * account's media encryption {@code mediaenc} (e.g. {@code srtp-mand}).
   */
  static Baresip tlsServer(
      Path workDir, NetworkNamespace ns, String user, Path certificate, String mediaenc)
      throws IOException {
    return launch(
        workDir,
        ns,
        user,
        "<sip:" + user + "@127.0.0.1>;regint=0;answermode=auto;mediaenc=" + mediaenc,
        null,
        List.of("sip_certificate " + certificate, "module srtp.so"));
  }

  /** Whether baresip has decoded video in its current call. */
  boolean decodesVideo() throws IOException, InterruptedException {
    return decodedFrames() > 0;
  }

  /** Types a console command, e.g. {@code /dial 202} or {@code /hangup}. */
  void command(String line) throws IOException {
    process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    process.getOutputStream().flush();
  }

  private static Baresip launch(
      Path workDir, NetworkNamespace ns, String user, String account, String dial)
      throws IOException {
    return launch(workDir, ns, user, account, dial, List.of());
  }

  private static Baresip launch(
      Path workDir,
      NetworkNamespace ns,
      String user,
      String account,
      String dial,
      List<String> extraConfig)
      throws IOException {
    return launch(workDir, ns, "127.0.0.1", user, account, dial, extraConfig);
  }

  private static Baresip launch(
      Path workDir,
      NetworkNamespace ns,
      String localAddress,
      String user,
      String account,
      String dial,
      List<String> extraConfig)
      throws IOException {
    return launch(workDir, ns, localAddress, FreePorts.next(), user, account, dial, extraConfig);
  }

  private static Baresip launch(
      Path workDir,
      NetworkNamespace ns,
      String localAddress,
      int port,
      String user,
      String account,
      String dial,
      List<String> extraConfig)
      throws IOException {
    Path binary = Peers.require("baresip", "baresip");
    Path dir =
        Files.createDirectories(
            workDir.resolve("baresip-" + user + "-" + ThreadLocalRandom.current().nextInt(1000)));
    Path recordings = Files.createDirectories(dir.resolve("recordings"));
    Path tone = dir.resolve("tone.wav");
    writeTone(tone);
    int rtp = 41_000 + ThreadLocalRandom.current().nextInt(0, 200) * 100;
    Files.writeString(
        dir.resolve("config"),
        String.join(
            "\n",
            "poll_method epoll",
            "sip_listen " + localAddress + ":" + port,
            "net_interface " + localAddress,
            "audio_player aubridge,nil",
            "audio_source aufile," + tone,
            "audio_alert aubridge,nil",
            "audio_srate 8000",
            "audio_channels 1",
            "snd_path " + recordings,
            "rtp_ports " + rtp + "-" + (rtp + 99),
            "module_path /usr/lib/baresip/modules",
            "module stdio.so",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_app account.so",
            "module_app menu.so",
            String.join("\n", extraConfig),
            ""));
    Files.writeString(dir.resolve("accounts"), account + "\n");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "-f", dir.toString()));
    if (dial != null) {
      command.addAll(List.of("-e", "/dial " + dial));
    }
    Path log = dir.resolve("baresip.log");
    Process process =
        new ProcessBuilder(ns.wrap(command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Baresip(port, user, recordings, process, log);
  }

  /** A 20 s, 8 kHz, 16-bit mono 440 Hz tone, what baresip sends. */
  static void writeTone(Path file) throws IOException {
    int samples = 8000 * 20;
    ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
    wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
    wav.putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes()).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000)));
    }
    Files.write(file, wav.array());
  }

  /**
   * The root-mean-square level of what baresip heard in its last call (its decoded-audio dump), 0 for silence or no
   * recording; 16-bit full scale is 32767.
   */
  double heardLevel() {
    try (Stream<Path> files = Files.list(recordings)) {
      Path dec = // the last call's
          files
              .filter(f -> f.toString().endsWith("-dec.wav"))
              .max(java.util.Comparator.comparing(f -> f.toFile().lastModified()))
              .orElse(null);
      return dec == null ? 0 : rms(dec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The root-mean-square level of a 16-bit PCM WAV file (after its 44-byte header), 0 when it is
   * missing or empty.
   */
  static double rms(Path wav) throws IOException {
    if (!Files.exists(wav)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(wav);
    if (bytes.length <= 44) {
      return 0;
    }
    ByteBuffer pcm = ByteBuffer.wrap(bytes, 44, bytes.length - 44).order(ByteOrder.LITTLE_ENDIAN);
    double sum = 0;
    int n = 0;
    while (pcm.remaining() >= 2) {
      double s = pcm.getShort();
      sum += s * s;
      n++;
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The DTMF keys baresip reports receiving as RFC 4733 events, in order. */
  String receivedDtmf() {
    StringBuilder keys = new StringBuilder();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("received event: '(.)' \\(end=0\\)").matcher(log());
    while (m.find()) {
      keys.append(m.group(1));
    }
    return keys.toString();
  }

  String log() {
    return Peers.readLog(log);
  }

  /**
   * Starts baresip as a SIP video phone {@code user} on {@code sipPort}, auto-answering: besides the
   * tone it sends the fakevideo module's moving test picture (352x288, 15 fps) as VP8, and decodes
   * the video it receives into fakevideo's display, which needs no X ({@link #decodedFrames} counts
   * its frames). With {@code dial} not null it also calls that SIP URI at once, offering audio and
   * video.
   */
  static Baresip videoPhone(Path workDir, NetworkNamespace ns, String user, int sipPort, String dial)
      throws IOException {
    return launch(
        workDir,
        ns,
        "127.0.0.1",
        sipPort,
        user,
        "<sip:" + user + "@127.0.0.1>;regint=0;answermode=auto",
        dial,
        VIDEO);
  }

  /** The config that makes baresip a video phone without a camera or a screen (shared/PEERS.md). */
  private static final List<String> VIDEO =
      List.of(
          "video_source fakevideo,nil",
          "video_display fakevideo,nil",
          "video_size 352x288",
          "video_fps 15",
          "statmode_default off", // no status line many times a second in the log
          "module vp8.so",
          "module fakevideo.so");

  private static final Pattern VIDEO_DEBUG =
      Pattern.compile("--- Video stream ---");

  private static final Pattern DISPLAYED =
      Pattern.compile("vidisp: \\S+ \\d+ x \\d+ frames=(\\d+)");

  /**
   * How many video frames baresip has decoded and displayed in its current call, read from its
   * {@code /video_debug} report (the count survives re-INVITEs; it stops growing while nothing
   * arrives); 0 when the call has no video stream (baresip then reports display {@code none}).
   *
   * @throws AssertionError when baresip does not print the report within 5 s
   */
  long decodedFrames() throws IOException, InterruptedException {
    long before = VIDEO_DEBUG.matcher(log()).results().count();
    command("/video_debug");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      String log = log();
      List<MatchResult> reports = VIDEO_DEBUG.matcher(log).results().toList();
      if (reports.size() > before) {
        String report = log.substring(reports.get(reports.size() - 1).end());
        Matcher frames = DISPLAYED.matcher(report);
        if (frames.find()) {
          return Long.parseLong(frames.group(1));
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("baresip printed no /video_debug report within 5 s:\n" + log());
  }

  /**
   * Sets the direction of baresip's video in its current call ({@code sendrecv}, {@code recvonly},
   * {@code sendonly}, {@code inactive}): baresip sends a re-INVITE with it ({@code /video_dir}).
   */
  void videoDirection(String direction) throws IOException {
    command("/video_dir " + direction);
  }

  @Override
  public void close() throws InterruptedException {
    Peers.stop(process, 2, Duration.ofSeconds(3));
  }

}

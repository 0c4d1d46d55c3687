package dev.tandem.bench.relay;

import dev.tandem.core.media.MediaBackend;
import dev.tandem.media.dtls.DtlsCertificate;
import dev.tandem.media.relay.EmbeddedRelay;
import dev.tandem.media.relay.RelaySettings;
import dev.tandem.media.rtpengine.NgClient;
import dev.tandem.media.rtpengine.RtpengineBackend;
import dev.tandem.sdp.translate.RelayAddresses;
import dev.tandem.sdp.translate.TranslationOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The media relay under load: N concurrent calls, each a synthetic browser (ICE, DTLS-SRTP) and a
 * synthetic phone (plain RTP) exchanging 50 PCMU packets a second each way (profile {@code audio})
 * and, in the {@code video} profile, 100 VP8-sized packets (1,200 bytes, about 1 Mbit/s) a second
 * each way besides, through the embedded relay and then, in the same run and with the same load,
 * through rtpengine in userspace (the reference). Prints packets relayed per second, loss, one-way
 * latency (p50/p99/p99.9, which include the load generator's own sending and receiving, so they
 * bound the added latency from above), and the relay's CPU: cores busy, and per 1,000 calls.
 *
 * <pre>
 *   scripts/bench-relay [--calls 250,500,1000] [--seconds 20] [--warmup 5] [--backends embedded,rtpengine]
 *                       [--profile audio|video]
 * </pre>
 */
public final class RelayLoad {
  private RelayLoad() {}

  /** One backend's figures. */
  record Result(
      String backend,
      int calls,
      double seconds,
      long sent,
      long received,
      long sentVideo,
      long receivedVideo,
      long misrouted,
      long undecryptable,
      LatencyHistogram latency,
      double relayCores,
      double generatorCores) {
    double packetsPerSecond() {
      return received / seconds;
    }

    double loss() {
      return sent == 0 ? 1 : 1 - (double) received / sent;
    }

    double videoLoss() {
      return sentVideo == 0 ? 0 : 1 - (double) receivedVideo / sentVideo;
    }

    double coresPerThousandCalls() {
      return relayCores * 1000.0 / calls;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    List<Integer> levels =
        java.util.Arrays.stream(options.getOrDefault("calls", "250,500,1000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    int ioThreads = Integer.parseInt(options.getOrDefault("io-threads", "0"));
    List<String> backends =
        List.of(options.getOrDefault("backends", "embedded,rtpengine").split(","));
    String profile = options.getOrDefault("profile", "audio");
    if (!profile.equals("audio") && !profile.equals("video")) {
      throw new IllegalArgumentException("--profile is audio or video, not " + profile);
    }
    boolean video = profile.equals("video");
    System.out.printf(
        Locale.ROOT,
        "relay load: %s calls, 50 PCMU packets/s each way per call%s (%d packets/s per call "
            + "offered), %d s measured after %d s warm-up, %d cores shared by relay and load%n",
        levels,
        video ? " and 100 VP8-sized packets/s (1,200 bytes) each way" : "",
        video ? 300 : 100,
        seconds,
        warmup,
        Runtime.getRuntime().availableProcessors());
    List<Result> results = new ArrayList<>();
    for (int calls : levels) {
      for (String backend : backends) {
        results.add(
            switch (backend.trim()) {
              case "embedded" -> embedded(calls, seconds, warmup, ioThreads, video);
              case "rtpengine" -> rtpengine(calls, seconds, warmup, video);
              default -> throw new IllegalArgumentException("unknown backend " + backend);
            });
      }
    }
    Report.print(results);
  }

  private static Result embedded(int calls, int seconds, int warmup, int ioThreads, boolean video)
      throws Exception {
    try (EmbeddedRelay relay =
        new EmbeddedRelay(
            new RelaySettings(
                "127.0.0.1",
                RelayAddresses.of("127.0.0.1"),
                20000,
                29999,
                ioThreads,
                0,
                RelaySettings.DEFAULT_DTLS_QUEUE,
                TranslationOptions.defaults()))) {
      long overflows = udpReceiveBufferErrors();
      Result result =
          run("embedded", relay, calls, seconds, warmup, video, () -> Cpu.threadsNamed("relay-io"));
      System.out.printf(
          Locale.ROOT,
          "embedded: relay dropped %d packets (%d of no known stream); the kernel dropped %d"
              + " datagrams on full receive buffers (any socket of this machine) during the run%n",
          relay.totals().dropped(),
          relay.totals().unknownStreamDrops(),
          udpReceiveBufferErrors() - overflows);
      return result;
    }
  }

  /** Linux's UDP RcvbufErrors (/proc/net/snmp), or 0 where it cannot be read. */
  private static long udpReceiveBufferErrors() {
    try {
      List<String> udp =
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp")).stream()
              .filter(l -> l.startsWith("Udp:"))
              .toList();
      List<String> names = List.of(udp.get(0).split(" "));
      return Long.parseLong(udp.get(1).split(" ")[names.indexOf("RcvbufErrors")]);
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private static Result rtpengine(int calls, int seconds, int warmup, boolean video)
      throws Exception {
    try (RtpengineProcess rtpengine = RtpengineProcess.start(30000, 39999);
        NgClient ng =
            new NgClient(
                new InetSocketAddress("127.0.0.1", rtpengine.ngPort()),
                Duration.ofMillis(500),
                Duration.ofSeconds(5))) {
      RtpengineBackend backend = new RtpengineBackend(ng, "127.0.0.1:" + rtpengine.ngPort());
      return run(
          "rtpengine",
          backend,
          calls,
          seconds,
          warmup,
          video,
          () -> {
            try {
              return Cpu.processNanos(rtpengine.pid());
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
  }

  private static Result run(
      String name,
      MediaBackend backend,
      int count,
      int seconds,
      int warmup,
      boolean video,
      LongSupplier relayCpu)
      throws Exception {
    DtlsCertificate certificate = DtlsCertificate.generate();
    List<SyntheticCall> calls = new ArrayList<>();
    long setupStart = System.nanoTime();
    ExecutorService setup = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> connecting = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SyntheticCall call = new SyntheticCall(i, name, video);
        calls.add(call);
        connecting.add(
            setup.submit(
                () -> {
                  call.connect(backend, certificate);
                  return null;
                }));
      }
      for (Future<?> f : connecting) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      setup.shutdownNow();
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d calls connected (offer, answer, ICE, DTLS-SRTP) in %.1f s%n",
        name,
        count,
        (System.nanoTime() - setupStart) / 1e9);
    LoadRun load = new LoadRun(calls);
    try {
      load.start();
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      long cpu0 = relayCpu.getAsLong();
      long gen0 = load.senderCpuNanos() + load.receiverCpuNanos();
      long t0 = System.nanoTime();
      load.measure(TimeUnit.SECONDS.toNanos(seconds));
      long elapsed = System.nanoTime() - t0;
      long cpu1 = relayCpu.getAsLong();
      long gen1 = load.senderCpuNanos() + load.receiverCpuNanos();
      load.stop();
      LatencyHistogram latency = new LatencyHistogram();
      latency.add(load.towardSip);
      latency.add(load.towardBrowser);
      return new Result(
          name,
          count,
          elapsed / 1e9,
          load.sentFromBrowser + load.sentFromPhone,
          load.receivedByPhone + load.receivedByBrowser,
          load.sentVideo,
          load.receivedVideo,
          load.misrouted,
          load.undecryptable,
          latency,
          (cpu1 - cpu0) / (double) elapsed,
          (gen1 - gen0) / (double) elapsed);
    } finally {
      for (SyntheticCall call : calls) {
        backend.release(call.id);
        call.close();
      }
    }
  }
}

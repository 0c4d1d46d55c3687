package dev.tandem.bench.cps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge's figures over one run, read from outside so the bridge is measured as it runs in
 * production: CPU from /proc/&lt;pid&gt;/stat; the largest thread count of
 * /proc/&lt;pid&gt;/status, sampled every 100 ms; GC pauses from its {@code -Xlog:gc} file; and
 * bytes allocated, computed as {@link GcLog#allocated}: the heap in use at the start and end of the
 * run comes from {@code jcmd <pid> GC.heap_info} (taken while the bridge is idle, outside the
 * measured CPU window; its attach adds one "Attach Listener" thread to the bridge), the growth
 * between collections from the GC log.
 */
final class BridgeMeter {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  /** The bridge's figures over one run. */
  record Figures(
      double seconds,
      long cpuNanos,
      int maxThreads,
      int maxThreadsWithoutDtls,
      long allocatedBytes,
      List<GcLog.Pause> pauses,
      long heapUsedAtEnd) {
    double pauseTotalMillis() {
      return pauses.stream().mapToDouble(GcLog.Pause::millis).sum();
    }

    double pauseMaxMillis() {
      return pauses.stream().mapToDouble(GcLog.Pause::millis).max().orElse(0);
    }

    /** Heap after the last collection of the run (roughly what is live), or -1 when none. */
    long heapAfterLastGc() {
      return pauses.isEmpty() ? -1 : pauses.get(pauses.size() - 1).afterBytes();
    }
  }

  private final long pid;
  private final GcLog gcLog;
  private long heapAtStart;
  private long gcOffset;
  private long cpuAtStart;
  private long startNanos;
  private static final String DTLS_THREADS = "relay-dtls";

  private volatile int maxThreads;
  private volatile int maxThreadsWithoutDtls;
  private volatile boolean sampling;
  private Thread sampler;

  BridgeMeter(long pid, GcLog gcLog) {
    this.pid = pid;
    this.gcLog = gcLog;
  }

  void start() throws IOException, InterruptedException {
    heapAtStart = heapUsed();
    gcOffset = gcLog.length();
    maxThreads = Proc.threads(pid);
    maxThreadsWithoutDtls = maxThreads - Proc.threadsNamed(pid, DTLS_THREADS);
    sampling = true;
    sampler =
        new Thread(
            () -> {
              for (int n = 1; sampling; n++) {
                int threads = Proc.threads(pid);
                maxThreads = Math.max(maxThreads, threads);
                if (n % 10 == 0) {
                  maxThreadsWithoutDtls =
                      Math.max(
                          maxThreadsWithoutDtls, threads - Proc.threadsNamed(pid, DTLS_THREADS));
                }
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "cps-threads");
    sampler.setDaemon(true);
    sampler.start();
    cpuAtStart = Proc.cpuNanos(pid);
    startNanos = System.nanoTime();
  }

  Figures stop() throws IOException, InterruptedException {
    long cpu = Proc.cpuNanos(pid) - cpuAtStart;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    sampling = false;
    sampler.join();
    long heapAtEnd = heapUsed();
    List<GcLog.Pause> pauses = gcLog.pauses(gcOffset, gcLog.length());
    return new Figures(
        seconds,
        cpu,
        maxThreads,
        maxThreadsWithoutDtls,
        GcLog.allocated(heapAtStart, pauses, heapAtEnd),
        pauses,
        heapAtEnd);
  }

  /** Heap in use now, in bytes, from {@code jcmd <pid> GC.heap_info}. */
  private long heapUsed() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(jdkTool("jcmd"), Long.toString(pid), "GC.heap_info")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
      jcmd.destroyForcibly();
      throw new IOException("jcmd " + pid + " GC.heap_info did not finish in 30 s");
    }
    Matcher m = HEAP_USED.matcher(out);
    if (!m.find()) {
      throw new IOException("no heap use in jcmd's answer: " + out);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /** {@code name} from the JDK this benchmark runs on, else from the PATH. */
  static String jdkTool(String name) {
    return ProcessHandle.current()
        .info()
        .command()
        .map(command -> java.nio.file.Path.of(command).resolveSibling(name))
        .filter(java.nio.file.Files::isExecutable)
        .map(Object::toString)
        .orElse(name);
  }
}
